namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Exponentially weighted mean and variance. The first 1/alpha points use a plain running average
/// (rate max(alpha, 1/n)) so the estimate is unbiased from the start instead of anchored to zero.
/// </summary>
internal struct Ewm
{
    public double Mean;
    public double Variance;
    public long Count;

    public readonly double StdDev => Math.Sqrt(Variance);

    /// <summary>|x - mean| over (std dev + floor); 0 until two points have been seen.</summary>
    public readonly double Z(double x, double floor) => Count < 2 ? 0.0 : Math.Abs(x - Mean) / (StdDev + floor);

    public void Add(double x, double alpha)
    {
        Count++;

        // Past 2/alpha points 1/n is below alpha for certain, so the division (a dozen cycles, ten of them per detector
        // update) is skipped; below that the rate is taken exactly as always, so no result changes in any bit.
        var a = Count * alpha >= 2.0 ? alpha : Math.Max(alpha, 1.0 / Count);
        var d = x - Mean;
        Mean += a * d;
        Variance = (1 - a) * (Variance + (a * d * d));
    }
}
