namespace Autopilot.Engines.Drift;

/// <summary>Population stability index over bins fixed from a reference sample.</summary>
internal static class Psi
{
    /// <summary>Proportions below this are floored so an empty bin costs a large but finite amount.</summary>
    public const double Epsilon = 1e-4;

    /// <summary>Inner bin edges at the reference's quantiles (ties merged), ascending.</summary>
    public static double[] Edges(List<double> reference, int bins)
    {
        var sorted = reference.ToArray();
        Array.Sort(sorted);
        var edges = new List<double>(bins - 1);
        for (var i = 1; i < bins; i++)
        {
            var e = sorted[(int)((long)i * sorted.Length / bins)];
            if (edges.Count == 0 || e > edges[^1])
            {
                edges.Add(e);
            }
        }

        return [.. edges];
    }

    /// <summary>The bin of <paramref name="value"/>: i when edges[i−1] ≤ value &lt; edges[i].</summary>
    public static int Bin(double[] edges, double value)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value < edges[mid])
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }

    /// <summary>Σ (a − e) · ln(a / e) over the bins' actual and expected proportions.</summary>
    public static double Compute(ReadOnlySpan<double> expected, ReadOnlySpan<long> actualCounts, long actualTotal)
    {
        var psi = 0d;
        for (var i = 0; i < expected.Length; i++)
        {
            var e = Math.Max(expected[i], Epsilon);
            var a = Math.Max(actualTotal == 0 ? 0 : (double)actualCounts[i] / actualTotal, Epsilon);
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }
}
