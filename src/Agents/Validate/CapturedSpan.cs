namespace Autopilot.Agents.Validate;

/// <summary>
/// A span as the embedded receiver decoded it (ids in lower-case hex). Attributes are the span's own (plus
/// <c>service.version</c> and <c>otel.scope.name</c>), without the decoder's <c>span.kind</c> / <c>span.parent_id</c>;
/// links point at other spans (e.g. a consumer span at the producer span whose context the message carried).
/// </summary>
internal sealed record CapturedSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Service,
    string Name,
    string Kind,
    double DurationMs,
    bool IsError,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanLink> Links)
{
    public SampleSpan ToSample() => new(TraceId, SpanId, ParentSpanId, Service, Name, Kind, Math.Max(0, DurationMs), Attributes);
}
