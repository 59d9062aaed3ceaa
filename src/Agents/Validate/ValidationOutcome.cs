namespace Autopilot.Agents.Validate;

/// <summary>The result of a run: the report (JSON form in <see cref="ValidationReportJson"/>), its markdown, and the exit code.</summary>
public sealed record ValidationOutcome(ValidationReport Report, string Markdown, int ExitCode);
