namespace Autopilot.Agents.Gate.Output;

/// <summary>Words shared by the text, markdown and annotation outputs.</summary>
internal static class GateText
{
    public static string Name(this EnforcementMode mode) => mode switch
    {
        EnforcementMode.Off => "off",
        EnforcementMode.Warn => "warn",
        EnforcementMode.SoftFail => "soft-fail",
        _ => "hard-fail",
    };

    public static string Name(this CheckOutcome outcome) => outcome switch
    {
        CheckOutcome.Passed => "passed",
        CheckOutcome.Skipped => "skipped",
        CheckOutcome.Warned => "warned",
        CheckOutcome.WouldFail => "would fail",
        CheckOutcome.Failed => "FAILED",
        _ => "waived",
    };

    public static string Name(this GateVerdict verdict) => verdict switch
    {
        GateVerdict.Pass => "PASS",
        GateVerdict.Warn => "WARN",
        _ => "FAIL",
    };

    public static bool NeedsAttention(this CheckOutcome outcome) => outcome is CheckOutcome.Warned or CheckOutcome.WouldFail or CheckOutcome.Failed or CheckOutcome.Waived;

    public static string Short(string? commit) => commit is null ? "(none)" : commit[..Math.Min(10, commit.Length)];

    public static string Where(GateFinding f) => f.File is null ? string.Empty : f.Line is { } line ? $"{f.File}:{line}" : f.File;
}
