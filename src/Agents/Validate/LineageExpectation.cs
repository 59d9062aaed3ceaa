namespace Autopilot.Agents.Validate;

/// <summary>At least <see cref="MinCount"/> OpenLineage events of each of <see cref="EventTypes"/> (any when empty) for job <see cref="Job"/> (in <see cref="Namespace"/> when given).</summary>
internal sealed record LineageExpectation(string Job, string? Namespace, IReadOnlyList<string> EventTypes, int MinCount);
