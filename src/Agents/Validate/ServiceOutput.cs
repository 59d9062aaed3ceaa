namespace Autopilot.Agents.Validate;

/// <summary>
/// How the service process ended and the last lines it wrote, included in the report when something failed
/// (schema: <c>process</c>, optional, added compatibly in schema version 1).
/// </summary>
/// <param name="ExitCode">The exit code; null when it was still running and had to be killed.</param>
/// <param name="ExitedEarly">True when it exited before the validator stopped it (it crashed or quit).</param>
/// <param name="StdoutTail">The last lines of standard output.</param>
/// <param name="StderrTail">The last lines of standard error.</param>
public sealed record ServiceOutput(int? ExitCode, bool ExitedEarly, IReadOnlyList<string> StdoutTail, IReadOnlyList<string> StderrTail);
