namespace Autopilot.Engines.Anomaly;

/// <summary>
/// The likelihood layer (after HTM's "anomaly likelihood"): how improbable the recent average of a
/// surprise signal is under that signal's own long-run Gaussian. Judging each signal against its own
/// history is what lets one threshold serve calm and noisy series alike.
/// </summary>
internal struct SurpriseLikelihood
{
    public Ewm LongRun;
    public double Recent;

    /// <summary>
    /// Returns the log-scaled likelihood in [0,1] for surprise <paramref name="s"/>, then learns it. Below
    /// <paramref name="zFloor"/> (see <see cref="ZBelow"/>) the result is 0 without computing the tail: the caller
    /// would report it as 0 anyway, and erfc and log are most of this layer's cost.
    /// </summary>
    public double Update(double s, double shortAlpha, double longAlpha, int minSamples, double minStdDev, double zFloor)
    {
        Recent = LongRun.Count == 0 ? s : Recent + (shortAlpha * (s - Recent));
        var score = 0.0;
        if (LongRun.Count >= minSamples)
        {
            var z = (Recent - LongRun.Mean) / Math.Max(LongRun.StdDev, minStdDev);
            score = z < zFloor ? 0.0 : LogScale(1.0 - GaussianTail(z));
        }

        LongRun.Add(s, longAlpha);
        return score;
    }

    /// <summary>
    /// A z below which the log-scaled likelihood stays under <paramref name="score"/> (by bisection on the score,
    /// which rises with z, less a margin of 0.05 so rounding in the erfc fit cannot matter).
    /// </summary>
    internal static double ZBelow(double score)
    {
        double lo = -10.0, hi = 40.0;
        for (var i = 0; i < 60; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (LogScale(1.0 - GaussianTail(mid)) < score)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return lo - 0.05;
    }

    /// <summary>Maps likelihood 1 - 1e-10 to 1 and 0.9 to ~0.04, as NAB's HTM detector does.</summary>
    internal static double LogScale(double likelihood) => Math.Clamp(Math.Log(1.0000000001 - likelihood) / -23.02585084720009, 0.0, 1.0);

    /// <summary>P(Z &gt; z) for a standard normal, via erfc (Numerical Recipes' Chebyshev fit, relative error &lt; 1.2e-7).</summary>
    internal static double GaussianTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2.0));

    private static double Erfc(double x)
    {
        var t = 1.0 / (1.0 + (0.5 * Math.Abs(x)));
        ReadOnlySpan<double> c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var poly = 0.0;
        for (var i = c.Length - 1; i >= 0; i--)
        {
            poly = c[i] + (t * poly);
        }

        var ans = t * Math.Exp((-x * x) + poly);
        return x >= 0 ? ans : 2.0 - ans;
    }
}
