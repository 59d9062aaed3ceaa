namespace Autopilot.Agents.Validate;

/// <summary>
/// Trace context must cross a hop: at least <see cref="MinCount"/> spans matching <see cref="To"/> are, in the
/// same trace, children of a span matching <see cref="From"/> (over HTTP), or children of it or linked to it
/// (over message headers, <see cref="ViaMessage"/>).
/// </summary>
internal sealed record PropagationExpectation(string Name, SpanSelector From, SpanSelector To, bool ViaMessage, int MinCount);
