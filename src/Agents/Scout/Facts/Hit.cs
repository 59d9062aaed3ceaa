using Autopilot.Agents.Scout.Rules;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>A line that matched a pattern.</summary>
/// <param name="Kind">What it is evidence of.</param>
/// <param name="Value">Pattern-specific value: framework, system, propagation scope; for SQL <c>write</c>/<c>read</c>; for a service name the name when it is a literal.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Text">The line, trimmed.</param>
/// <param name="Topics">Topic / queue names for messaging calls, table names for SQL and ORM mappings, the database name for URLs.</param>
/// <param name="LookedFor">The trigger that matched, as evidence wording.</param>
internal sealed record Hit(PatternKind Kind, string? Value, int Line, string Text, IReadOnlyList<TopicExpr> Topics, string LookedFor);
