using System.Numerics;
using System.Runtime.Intrinsics;

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
    /// <remarks>
    /// The number of edges <paramref name="value"/> is not below: with ascending edges that is the bin, and for NaN (below
    /// no edge) the last one, as a binary search gives. Counted without branches: values land in any bin, so a binary
    /// search over the default ten bins mispredicted on most of its four steps, on every metric point and span.
    /// </remarks>
    public static int Bin(double[] edges, double value)
    {
        var above = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var v = Vector256.Create(value);
            for (; i <= edges.Length - Vector256<double>.Count; i += Vector256<double>.Count)
            {
                above += BitOperations.PopCount(Vector256.LessThan(v, Vector256.Create<double>(edges.AsSpan(i))).ExtractMostSignificantBits());
            }
        }

        for (; i < edges.Length; i++)
        {
            above += value < edges[i] ? 1 : 0;
        }

        return edges.Length - above;
    }

    /// <summary>
    /// <see cref="Bin"/> as a binary search over the ascending edges (what it was before it counted without branches): the
    /// reference its differential test and its benchmark compare it with.
    /// </summary>
    internal static int BinBySearch(double[] edges, double value)
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
