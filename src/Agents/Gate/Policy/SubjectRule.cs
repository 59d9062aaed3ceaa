using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Gate.Policy;

/// <summary>The compatibility level for schema files matching a glob (the first matching rule wins).</summary>
internal sealed record SubjectRule(Glob Path, CompatibilityLevel Level);
