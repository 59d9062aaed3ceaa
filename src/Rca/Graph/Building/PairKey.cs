namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// Where a client span and its server span meet: the trace and the client span's id (the server span's parent
/// id), as in the Collector's servicegraph connector.
/// </summary>
internal readonly record struct PairKey(ulong TraceHigh, ulong TraceLow, ulong SpanId);
