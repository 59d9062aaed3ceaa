namespace Autopilot.Agents.Validate;

/// <summary>A span link: the linked span's trace and span id in lower-case hex.</summary>
internal readonly record struct SpanLink(string TraceId, string SpanId);
