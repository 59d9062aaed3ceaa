namespace Autopilot.Rca.Graph.Building;

/// <summary>One half of a client/server pair waiting for the other.</summary>
internal struct PendingSpan
{
    public bool IsClient;
    public bool Error;
    public NodeState Service;
    public long Start;
    public long ExpiresAt;
    public double DurationMs;

    /// <summary>Who a client span says it calls (peer.service, server.address, net.peer.name), for a virtual node.</summary>
    public string? Peer;
}
