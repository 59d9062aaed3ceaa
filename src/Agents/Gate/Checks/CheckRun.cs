namespace Autopilot.Agents.Gate.Checks;

/// <summary>What one check found on one target, before its mode and the waivers are applied.</summary>
internal sealed record CheckRun(CheckResult Result, string Message, string? Fix, IReadOnlyList<GateFinding> Findings)
{
    public static CheckRun Pass(string message) => new(CheckResult.Pass, message, null, []);

    public static CheckRun Skip(string message) => new(CheckResult.Skip, message, null, []);

    public static CheckRun Fail(string message, string fix, IReadOnlyList<GateFinding> findings) => new(CheckResult.Fail, message, fix, findings);
}
