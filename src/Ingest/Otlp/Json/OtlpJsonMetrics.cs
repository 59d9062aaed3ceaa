using System.Text.Json;
using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Metrics.V1;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>JSON readers for the metric messages (all five data point types).</summary>
internal static class OtlpJsonMetrics
{
    private static readonly FieldTable RootFields = new("resourceMetrics", "result", "resource", "scopeMetrics", "schemaUrl");
    private static readonly FieldTable ResourceMetricsFields = new("resource", "scopeMetrics", "schemaUrl");
    private static readonly FieldTable ScopeMetricsFields = new("scope", "metrics", "schemaUrl");
    private static readonly FieldTable MetricFields = new(
        "name", "description", "unit", "gauge", "sum", "histogram", "exponentialHistogram", "summary", "metadata");
    private static readonly FieldTable AggregationFields = new("dataPoints", "aggregationTemporality", "isMonotonic");
    private static readonly FieldTable NumberPointFields = new(
        "attributes", "startTimeUnixNano", "timeUnixNano", "asDouble", "asInt", "exemplars", "flags");
    private static readonly FieldTable HistogramPointFields = new(
        "attributes", "startTimeUnixNano", "timeUnixNano", "count", "sum", "bucketCounts", "explicitBounds", "exemplars",
        "flags", "min", "max");
    private static readonly FieldTable ExponentialPointFields = new(
        "attributes", "startTimeUnixNano", "timeUnixNano", "count", "sum", "scale", "zeroCount", "positive", "negative",
        "flags", "exemplars", "min", "max", "zeroThreshold");
    private static readonly FieldTable BucketsFields = new("offset", "bucketCounts");
    private static readonly FieldTable SummaryPointFields = new(
        "attributes", "startTimeUnixNano", "timeUnixNano", "count", "sum", "quantileValues", "flags");
    private static readonly FieldTable QuantileFields = new("quantile", "value");
    private static readonly FieldTable ExemplarFields = new("filteredAttributes", "timeUnixNano", "asDouble", "asInt", "spanId", "traceId");

    /// <summary>An export request, a bare ResourceMetrics object, or either under <c>"result"</c>.</summary>
    public static void ReadRoot(ref Utf8JsonReader reader, JsonCursor cursor, ExportMetricsServiceRequest request)
    {
        cursor.ExpectObject(ref reader);
        ResourceMetrics? bare = null;
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = RootFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "resourceMetrics":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        request.ResourceMetrics.Add(ReadResourceMetrics(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                case "result":
                    ReadRoot(ref reader, cursor, request);
                    break;
                default:
                    ReadResourceMetricsField(ref reader, cursor, bare ??= new ResourceMetrics(), field!);
                    break;
            }

            cursor.Pop();
        }

        if (bare is not null)
        {
            request.ResourceMetrics.Add(bare);
        }
    }

    private static ResourceMetrics ReadResourceMetrics(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var resourceMetrics = new ResourceMetrics();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ResourceMetricsFields.Match(ref reader);
            if (cursor.EnterValue(ref reader, field))
            {
                ReadResourceMetricsField(ref reader, cursor, resourceMetrics, field!);
                cursor.Pop();
            }
        }

        return resourceMetrics;
    }

    private static void ReadResourceMetricsField(ref Utf8JsonReader reader, JsonCursor cursor, ResourceMetrics target, string field)
    {
        switch (field)
        {
            case "resource":
                target.Resource = OtlpJsonCommon.ReadResource(ref reader, cursor);
                break;
            case "scopeMetrics":
                cursor.ExpectArray(ref reader);
                for (var i = 0; cursor.NextElement(ref reader, i); i++)
                {
                    target.ScopeMetrics.Add(ReadScopeMetrics(ref reader, cursor));
                    cursor.Pop();
                }

                break;
            default:
                target.SchemaUrl = cursor.ReadString(ref reader);
                break;
        }
    }

    private static ScopeMetrics ReadScopeMetrics(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var scopeMetrics = new ScopeMetrics();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ScopeMetricsFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "scope":
                    scopeMetrics.Scope = OtlpJsonCommon.ReadScope(ref reader, cursor);
                    break;
                case "metrics":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        scopeMetrics.Metrics.Add(ReadMetric(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                default:
                    scopeMetrics.SchemaUrl = cursor.ReadString(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return scopeMetrics;
    }

    private static Metric ReadMetric(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var metric = new Metric();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = MetricFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "name":
                    metric.Name = cursor.ReadString(ref reader);
                    break;
                case "description":
                    metric.Description = cursor.ReadString(ref reader);
                    break;
                case "unit":
                    metric.Unit = cursor.ReadString(ref reader);
                    break;
                case "metadata":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, metric.Metadata);
                    break;
                case "gauge":
                    var gauge = new Gauge();
                    ReadAggregation(ref reader, cursor, gauge.DataPoints, out _, out _, ReadNumberPoint);
                    metric.Gauge = gauge;
                    break;
                case "sum":
                    var sum = new Sum();
                    ReadAggregation(ref reader, cursor, sum.DataPoints, out var sumTemporality, out var monotonic, ReadNumberPoint);
                    sum.AggregationTemporality = sumTemporality;
                    sum.IsMonotonic = monotonic;
                    metric.Sum = sum;
                    break;
                case "histogram":
                    var histogram = new Histogram();
                    ReadAggregation(ref reader, cursor, histogram.DataPoints, out var histogramTemporality, out _, ReadHistogramPoint);
                    histogram.AggregationTemporality = histogramTemporality;
                    metric.Histogram = histogram;
                    break;
                case "exponentialHistogram":
                    var exponential = new ExponentialHistogram();
                    ReadAggregation(ref reader, cursor, exponential.DataPoints, out var exponentialTemporality, out _, ReadExponentialPoint);
                    exponential.AggregationTemporality = exponentialTemporality;
                    metric.ExponentialHistogram = exponential;
                    break;
                default:
                    var summary = new Summary();
                    ReadAggregation(ref reader, cursor, summary.DataPoints, out _, out _, ReadSummaryPoint);
                    metric.Summary = summary;
                    break;
            }

            cursor.Pop();
        }

        return metric;
    }

    /// <summary>Gauge, Sum, Histogram, ExponentialHistogram and Summary share this shape.</summary>
    private static void ReadAggregation<T>(
        ref Utf8JsonReader reader,
        JsonCursor cursor,
        Google.Protobuf.Collections.RepeatedField<T> points,
        out AggregationTemporality temporality,
        out bool monotonic,
        OtlpJsonCommon.ElementReader<T> readPoint)
    {
        temporality = AggregationTemporality.Unspecified;
        monotonic = false;
        cursor.ExpectObject(ref reader);
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = AggregationFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "dataPoints":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        points.Add(readPoint(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                case "aggregationTemporality":
                    temporality = (AggregationTemporality)JsonEnum.AggregationTemporality.Read(ref reader, cursor);
                    break;
                default:
                    monotonic = cursor.ReadBool(ref reader);
                    break;
            }

            cursor.Pop();
        }
    }

    private static NumberDataPoint ReadNumberPoint(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var point = new NumberDataPoint();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = NumberPointFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, point.Attributes);
                    break;
                case "startTimeUnixNano":
                    point.StartTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "timeUnixNano":
                    point.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "asDouble":
                    point.AsDouble = cursor.ReadDouble(ref reader);
                    break;
                case "asInt":
                    point.AsInt = cursor.ReadInt64(ref reader);
                    break;
                case "exemplars":
                    ReadExemplars(ref reader, cursor, point.Exemplars);
                    break;
                default:
                    point.Flags = cursor.ReadUInt32(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return point;
    }

    private static HistogramDataPoint ReadHistogramPoint(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var point = new HistogramDataPoint();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = HistogramPointFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, point.Attributes);
                    break;
                case "startTimeUnixNano":
                    point.StartTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "timeUnixNano":
                    point.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "count":
                    point.Count = cursor.ReadUInt64(ref reader);
                    break;
                case "sum":
                    point.Sum = cursor.ReadDouble(ref reader);
                    break;
                case "bucketCounts":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        point.BucketCounts.Add(cursor.ReadUInt64(ref reader));
                        cursor.Pop();
                    }

                    break;
                case "explicitBounds":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        point.ExplicitBounds.Add(cursor.ReadDouble(ref reader));
                        cursor.Pop();
                    }

                    break;
                case "exemplars":
                    ReadExemplars(ref reader, cursor, point.Exemplars);
                    break;
                case "flags":
                    point.Flags = cursor.ReadUInt32(ref reader);
                    break;
                case "min":
                    point.Min = cursor.ReadDouble(ref reader);
                    break;
                default:
                    point.Max = cursor.ReadDouble(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return point;
    }

    private static ExponentialHistogramDataPoint ReadExponentialPoint(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var point = new ExponentialHistogramDataPoint();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ExponentialPointFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, point.Attributes);
                    break;
                case "startTimeUnixNano":
                    point.StartTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "timeUnixNano":
                    point.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "count":
                    point.Count = cursor.ReadUInt64(ref reader);
                    break;
                case "sum":
                    point.Sum = cursor.ReadDouble(ref reader);
                    break;
                case "scale":
                    point.Scale = cursor.ReadInt32(ref reader);
                    break;
                case "zeroCount":
                    point.ZeroCount = cursor.ReadUInt64(ref reader);
                    break;
                case "positive":
                    point.Positive = ReadBuckets(ref reader, cursor);
                    break;
                case "negative":
                    point.Negative = ReadBuckets(ref reader, cursor);
                    break;
                case "flags":
                    point.Flags = cursor.ReadUInt32(ref reader);
                    break;
                case "exemplars":
                    ReadExemplars(ref reader, cursor, point.Exemplars);
                    break;
                case "min":
                    point.Min = cursor.ReadDouble(ref reader);
                    break;
                case "max":
                    point.Max = cursor.ReadDouble(ref reader);
                    break;
                default:
                    point.ZeroThreshold = cursor.ReadDouble(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return point;
    }

    private static ExponentialHistogramDataPoint.Types.Buckets ReadBuckets(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var buckets = new ExponentialHistogramDataPoint.Types.Buckets();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = BucketsFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            if (field == "offset")
            {
                buckets.Offset = cursor.ReadInt32(ref reader);
            }
            else
            {
                cursor.ExpectArray(ref reader);
                for (var i = 0; cursor.NextElement(ref reader, i); i++)
                {
                    buckets.BucketCounts.Add(cursor.ReadUInt64(ref reader));
                    cursor.Pop();
                }
            }

            cursor.Pop();
        }

        return buckets;
    }

    private static SummaryDataPoint ReadSummaryPoint(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var point = new SummaryDataPoint();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = SummaryPointFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "attributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, point.Attributes);
                    break;
                case "startTimeUnixNano":
                    point.StartTimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "timeUnixNano":
                    point.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "count":
                    point.Count = cursor.ReadUInt64(ref reader);
                    break;
                case "sum":
                    point.Sum = cursor.ReadDouble(ref reader);
                    break;
                case "quantileValues":
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        point.QuantileValues.Add(ReadQuantile(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
                default:
                    point.Flags = cursor.ReadUInt32(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return point;
    }

    private static SummaryDataPoint.Types.ValueAtQuantile ReadQuantile(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var quantile = new SummaryDataPoint.Types.ValueAtQuantile();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = QuantileFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            if (field == "quantile")
            {
                quantile.Quantile = cursor.ReadDouble(ref reader);
            }
            else
            {
                quantile.Value = cursor.ReadDouble(ref reader);
            }

            cursor.Pop();
        }

        return quantile;
    }

    private static void ReadExemplars(ref Utf8JsonReader reader, JsonCursor cursor, Google.Protobuf.Collections.RepeatedField<Exemplar> target)
    {
        cursor.ExpectArray(ref reader);
        for (var i = 0; cursor.NextElement(ref reader, i); i++)
        {
            target.Add(ReadExemplar(ref reader, cursor));
            cursor.Pop();
        }
    }

    private static Exemplar ReadExemplar(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var exemplar = new Exemplar();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ExemplarFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "filteredAttributes":
                    OtlpJsonCommon.ReadAttributes(ref reader, cursor, exemplar.FilteredAttributes);
                    break;
                case "timeUnixNano":
                    exemplar.TimeUnixNano = cursor.ReadUInt64(ref reader);
                    break;
                case "asDouble":
                    exemplar.AsDouble = cursor.ReadDouble(ref reader);
                    break;
                case "asInt":
                    exemplar.AsInt = cursor.ReadInt64(ref reader);
                    break;
                case "spanId":
                    exemplar.SpanId = cursor.ReadId(ref reader, 8);
                    break;
                default:
                    exemplar.TraceId = cursor.ReadId(ref reader, 16);
                    break;
            }

            cursor.Pop();
        }

        return exemplar;
    }
}
