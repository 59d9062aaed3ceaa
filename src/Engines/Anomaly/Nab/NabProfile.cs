namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>A NAB cost profile: the weights of a true positive, a false positive and a false negative.</summary>
/// <param name="Name">Profile name as in <c>profiles.json</c> (e.g. <c>standard</c>, <c>reward_low_FP_rate</c>).</param>
/// <param name="TpWeight">Reward for the earliest detection in a window (scaled by the sigmoid).</param>
/// <param name="FpWeight">Cost of a detection outside every window.</param>
/// <param name="FnWeight">Cost of a window without a detection.</param>
public sealed record NabProfile(string Name, double TpWeight, double FpWeight, double FnWeight)
{
    /// <summary>NAB's standard profile (tp 1, fp 0.11, fn 1).</summary>
    public static NabProfile Standard { get; } = new("standard", 1.0, 0.11, 1.0);

    /// <summary>NAB's "reward low FP rate" profile (tp 1, fp 0.22, fn 1).</summary>
    public static NabProfile LowFalsePositive { get; } = new("reward_low_FP_rate", 1.0, 0.22, 1.0);

    /// <summary>NAB's "reward low FN rate" profile (tp 1, fp 0.11, fn 2).</summary>
    public static NabProfile LowFalseNegative { get; } = new("reward_low_FN_rate", 1.0, 0.11, 2.0);
}
