namespace Autopilot.Ingest.Signals;

/// <summary>
/// The canonical signal every receiver produces and every engine consumes (DESIGN.md, "Contracts").
/// A value type so batches of signals are flat arrays; strings in it are shared (URNs, names and
/// attribute keys are interned by the decoder), so copying a signal allocates nothing.
/// </summary>
/// <param name="Kind">span, metric, log, lineage, record or change.</param>
/// <param name="Urn">The resolved asset URN, <c>urn:autopilot:&lt;kind&gt;:&lt;namespace&gt;:&lt;name&gt;</c>.</param>
/// <param name="TimeUnixNano">Event time in nanoseconds since the Unix epoch.</param>
/// <param name="TraceId">Trace id, <see cref="TraceId.Empty"/> when none.</param>
/// <param name="SpanId">Span id, 0 when none.</param>
/// <param name="CorrelationId">Run id, message key or another id that ties signals together; null when none.</param>
/// <param name="Name">Span name, metric name, log template or body, or event type.</param>
/// <param name="Value">Duration in ms for spans, the sample value for metrics, a count otherwise.</param>
/// <param name="Status">ok / error / unset.</param>
/// <param name="StatusCode">Protocol status code (HTTP status, gRPC code, severity number); 0 when none.</param>
/// <param name="Attributes">Attributes with interned keys; never null, <see cref="SignalAttributes.Empty"/> when none.</param>
public readonly record struct Signal(
    SignalKind Kind,
    string Urn,
    long TimeUnixNano,
    TraceId TraceId,
    ulong SpanId,
    string? CorrelationId,
    string Name,
    double Value,
    SignalStatus Status,
    int StatusCode,
    SignalAttributes Attributes);
