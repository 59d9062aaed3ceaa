namespace Autopilot.Rca.Graph;

/// <summary>Options of the <see cref="GraphBuilder"/>. Every default lives here and only here. All times are event time.</summary>
public sealed class GraphBuilderOptions
{
    /// <summary>A service-graph edge (calls, produces, consumes, reads, writes) not seen for this long closes (its valid-to is set).</summary>
    public TimeSpan EdgeIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A lineage edge (input of, outputs, derives from) not seen for this long closes; jobs often run daily, so longer.</summary>
    public TimeSpan LineageIdleTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A node (service, topic, dataset, job) not seen for this long closes.</summary>
    public TimeSpan NodeIdleTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>History that ended longer ago than this (versions closed before, changes before) is deleted.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// How long a client span waits for its server span (and the reverse) after it ended, measured on the span
    /// watermark (the latest span end seen); unpaired ones then expire. Covers the export delay between services.
    /// </summary>
    public TimeSpan PairingWindow { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Most client/server spans waiting for their other half; when full the one due first expires early.</summary>
    public int MaxPendingPairs { get; set; } = 50_000;

    /// <summary>
    /// An expired client span that names its peer (<c>peer.service</c>, else <c>server.address</c>, else
    /// <c>net.peer.name</c>) gets a <c>Calls</c> edge to a virtual service node of that name, as the Collector's
    /// servicegraph connector does for uninstrumented callees.
    /// </summary>
    public bool VirtualPeers { get; set; } = true;

    /// <summary>
    /// A service version seen again within this long of its last span is the same rollout (old and new pods overlap),
    /// not a new deploy; after a longer silence it coming back is a deploy (a rollback).
    /// </summary>
    public TimeSpan DeployOverlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Hops within which two assets count as related for incident grouping.</summary>
    public int RelationHops { get; set; } = 2;

    /// <summary>
    /// How often (processing time) what changed is published to the in-memory graph readers see; zero publishes after
    /// every batch. Publishing copies each changed edge, so doing it at most this often keeps the per-signal cost low.
    /// </summary>
    public TimeSpan PublishInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How often (processing time) the builder writes what changed to its store; a durability request writes at the next batch.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most nodes kept; signals naming new assets past this are counted as dropped (reason <c>max_nodes</c>).</summary>
    public int MaxNodes { get; set; } = 200_000;

    /// <summary>Most edges kept; new edges past this are counted as dropped (reason <c>max_edges</c>).</summary>
    public int MaxEdges { get; set; } = 1_000_000;

    /// <summary>Requests buffered in front of the builder (its async boundary); when full, ingest waits (backpressure).</summary>
    public int QueueCapacity { get; set; } = 256;

    /// <summary>Event times later than now plus this are clamped, so one bad clock cannot close every edge at once.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        Positive(EdgeIdleTimeout, "graph.edgeIdleTimeout");
        Positive(LineageIdleTimeout, "graph.lineageIdleTimeout");
        Positive(NodeIdleTimeout, "graph.nodeIdleTimeout");
        Positive(Retention, "graph.retention");
        Positive(PairingWindow, "graph.pairingWindow");
        Positive(FlushInterval, "graph.flushInterval");
        if (PublishInterval < TimeSpan.Zero || PublishInterval > FlushInterval)
        {
            throw new ArgumentException($"graph.publishInterval must be between zero and graph.flushInterval ({FlushInterval}), got {PublishInterval}.");
        }

        if (DeployOverlap < TimeSpan.Zero)
        {
            throw new ArgumentException($"graph.deployOverlap must not be negative, got {DeployOverlap}.");
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            throw new ArgumentException($"graph.maxFutureSkew must not be negative, got {MaxFutureSkew}.");
        }

        var longestIdle = new[] { EdgeIdleTimeout, LineageIdleTimeout, NodeIdleTimeout }.Max();
        if (Retention < longestIdle)
        {
            throw new ArgumentException($"graph.retention ({Retention}) must be at least the longest idle timeout ({longestIdle}), or open history would be deleted.");
        }

        if (MaxPendingPairs < 1)
        {
            throw new ArgumentException($"graph.maxPendingPairs must be at least 1, got {MaxPendingPairs}.");
        }

        if (RelationHops is < 1 or > 5)
        {
            throw new ArgumentException($"graph.relationHops must be between 1 and 5, got {RelationHops}.");
        }

        if (MaxNodes < 1 || MaxEdges < 1)
        {
            throw new ArgumentException($"graph.maxNodes and graph.maxEdges must be at least 1, got {MaxNodes} and {MaxEdges}.");
        }

        if (QueueCapacity < 1)
        {
            throw new ArgumentException($"graph.queueCapacity must be at least 1, got {QueueCapacity}.");
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name} must be positive, got {value}.");
        }
    }
}
