namespace Autopilot.Agents.Gate;

/// <summary>One problem a check found.</summary>
/// <param name="File">Repository-relative file, when the problem is in one.</param>
/// <param name="Line">1-based line in the working-tree version of the file, when known.</param>
/// <param name="Rule">The rule's id (e.g. <c>READER_FIELD_MISSING_DEFAULT_VALUE</c>, <c>missing_runbook</c>).</param>
/// <param name="Message">One sentence naming the path and the rule.</param>
/// <param name="Waived">True when an active waiver covers this finding.</param>
public sealed record GateFinding(string? File, int? Line, string Rule, string Message, bool Waived);
