namespace Autopilot.Agents.Validate;

/// <summary>At least <see cref="MinCount"/> spans matching <see cref="Selector"/>, each carrying <see cref="Attributes"/> (and <see cref="Values"/> where given).</summary>
internal sealed record SpanExpectation(SpanSelector Selector, int MinCount, IReadOnlyList<string> Attributes, IReadOnlyDictionary<string, string> Values);
