namespace Autopilot.Rca.Graph.Building;

/// <summary>The current version of one edge and its traffic since that version started.</summary>
internal sealed class EdgeState : TemporalState
{
    public EdgeState(NodeState from, NodeState to, EdgeKind kind)
    {
        From = from;
        To = to;
        Kind = kind;
    }

    public NodeState From { get; }

    public NodeState To { get; }

    public EdgeKind Kind { get; }

    public long Requests;
    public long Errors;
    public double LatencySumMs;

    /// <summary>Created on the first latency, so lineage edges (no latency) carry none.</summary>
    public LatencyHistogram? Latency;

    public EdgeStats Stats => new(Requests, Errors, LatencySumMs, Latency?.Quantile(0.95) ?? 0);

    public GraphEdge ToGraphEdge() => new(From.Urn, To.Urn, Kind, ValidFrom, ValidToOrNull, Stats);

    public void ResetTraffic()
    {
        Requests = 0;
        Errors = 0;
        LatencySumMs = 0;
        Latency = null;
    }
}
