namespace Autopilot.Rca.Graph;

/// <summary>
/// An edge's traffic counters as of <paramref name="AtUnixNano"/> (event time): requests, failed requests and summed
/// latency since the edge's current version began. The difference of two samples is the traffic between them.
/// </summary>
public readonly record struct TrafficSample(long AtUnixNano, long Requests, long Errors, double LatencySumMs);
