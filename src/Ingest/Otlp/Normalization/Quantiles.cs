using Autopilot.Ingest.Otlp.Proto.Metrics.V1;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Percentile estimates for the aggregated metric points, so engines can watch p50/p95/p99 without
/// knowing OTLP's three distribution encodings. Every loop runs over buckets that are present in the
/// decoded message, so the cost is linear in the payload.
/// </summary>
internal static class Quantiles
{
    /// <summary>
    /// Explicit-bucket histogram: find the bucket holding rank q·count and interpolate linearly inside it
    /// (as Prometheus' histogram_quantile does). The open-ended first and last buckets are closed with the
    /// point's min / max when present, else with 0 (when the first bound is positive) and the last bound.
    /// </summary>
    public static double Histogram(HistogramDataPoint point, double q)
    {
        var counts = point.BucketCounts;
        var bounds = point.ExplicitBounds;
        if (point.Count == 0 || counts.Count == 0)
        {
            return 0;
        }

        if (bounds.Count == 0 || counts.Count != bounds.Count + 1)
        {
            return Fallback(point.HasMin, point.Min, point.HasMax, point.Max, point.HasSum ? point.Sum / point.Count : 0, q);
        }

        var rank = q * point.Count;
        double cumulative = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            var inBucket = (double)counts[i];
            if (inBucket > 0 && cumulative + inBucket >= rank)
            {
                double lower, upper;
                if (i == 0)
                {
                    upper = bounds[0];
                    lower = point.HasMin ? Math.Min(point.Min, upper) : (upper > 0 ? 0 : upper);
                }
                else if (i == counts.Count - 1)
                {
                    lower = bounds[i - 1];
                    upper = point.HasMax ? Math.Max(point.Max, lower) : lower;
                }
                else
                {
                    lower = bounds[i - 1];
                    upper = bounds[i];
                }

                return Clamp(lower + ((upper - lower) * ((rank - cumulative) / inBucket)), point.HasMin, point.Min, point.HasMax, point.Max);
            }

            cumulative += inBucket;
        }

        return point.HasMax ? point.Max : bounds[^1];
    }

    /// <summary>
    /// Exponential histogram: bucket index i at scale s covers (base^i, base^(i+1)] with base = 2^(2^-s).
    /// Walk negative buckets (largest magnitude first), the zero bucket, then positive buckets, and
    /// interpolate linearly inside the bucket that holds rank q·count; clamp to min / max when present.
    /// </summary>
    public static double Exponential(ExponentialHistogramDataPoint point, double q)
    {
        if (point.Count == 0)
        {
            return 0;
        }

        var rank = q * point.Count;
        var scaleFactor = Math.Pow(2, -point.Scale);
        double cumulative = 0;

        if (point.Negative is { } negative)
        {
            for (var i = negative.BucketCounts.Count - 1; i >= 0; i--)
            {
                var inBucket = (double)negative.BucketCounts[i];
                if (inBucket > 0 && cumulative + inBucket >= rank)
                {
                    var index = (long)negative.Offset + i;
                    var upperMagnitude = Math.Pow(2, (index + 1) * scaleFactor);
                    var lowerMagnitude = Math.Pow(2, index * scaleFactor);
                    var value = -upperMagnitude + ((upperMagnitude - lowerMagnitude) * ((rank - cumulative) / inBucket));
                    return Clamp(value, point.HasMin, point.Min, point.HasMax, point.Max);
                }

                cumulative += inBucket;
            }
        }

        if (point.ZeroCount > 0 && cumulative + point.ZeroCount >= rank)
        {
            return 0;
        }

        cumulative += point.ZeroCount;
        if (point.Positive is { } positive)
        {
            for (var i = 0; i < positive.BucketCounts.Count; i++)
            {
                var inBucket = (double)positive.BucketCounts[i];
                if (inBucket > 0 && cumulative + inBucket >= rank)
                {
                    var index = (long)positive.Offset + i;
                    var lower = Math.Pow(2, index * scaleFactor);
                    var upper = Math.Pow(2, (index + 1) * scaleFactor);
                    var value = lower + ((upper - lower) * ((rank - cumulative) / inBucket));
                    return Clamp(value, point.HasMin, point.Min, point.HasMax, point.Max);
                }

                cumulative += inBucket;
            }
        }

        // Bucket counts that add up to less than count: the best we know is the top of the range.
        return point.HasMax ? point.Max : 0;
    }

    /// <summary>
    /// Summary: the reported quantile when the point has it, else linear interpolation between the nearest
    /// reported quantiles (the nearest one when q lies outside them). Quantiles may arrive in any order.
    /// </summary>
    public static double Summary(SummaryDataPoint point, double q)
    {
        var values = point.QuantileValues;
        if (values.Count == 0)
        {
            return 0;
        }

        SummaryDataPoint.Types.ValueAtQuantile? below = null, above = null;
        foreach (var v in values)
        {
            if (v.Quantile <= q && (below is null || v.Quantile > below.Quantile))
            {
                below = v;
            }

            if (v.Quantile >= q && (above is null || v.Quantile < above.Quantile))
            {
                above = v;
            }
        }

        if (below is null)
        {
            return above!.Value;
        }

        if (above is null || above.Quantile == below.Quantile)
        {
            return below.Value;
        }

        return below.Value + ((above.Value - below.Value) * ((q - below.Quantile) / (above.Quantile - below.Quantile)));
    }

    private static double Fallback(bool hasMin, double min, bool hasMax, double max, double mean, double q)
    {
        if (hasMin && hasMax)
        {
            return min + ((max - min) * q);
        }

        return mean;
    }

    private static double Clamp(double value, bool hasMin, double min, bool hasMax, double max)
    {
        if (hasMin && value < min)
        {
            value = min;
        }

        if (hasMax && value > max)
        {
            value = max;
        }

        return value;
    }
}
