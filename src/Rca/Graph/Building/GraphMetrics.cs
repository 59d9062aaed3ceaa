using System.Diagnostics.Metrics;

namespace Autopilot.Rca.Graph.Building;

/// <summary>Counters of the graph builder (meter <c>Autopilot.Rca.Graph</c>), added once per batch, never per signal.</summary>
internal static class GraphMetrics
{
    private static readonly Meter s_meter = new("Autopilot.Rca.Graph");

    /// <summary><c>autopilot_graph_signals_total{outcome}</c>: applied, or replayed (already in the store, skipped).</summary>
    public static readonly Counter<long> Signals = s_meter.CreateCounter<long>("autopilot.graph.signals", "{signal}", "Signals read by the graph builder, by outcome (applied, replayed).");

    /// <summary><c>autopilot_graph_spans_total{outcome}</c>: client/server halves paired, expired unpaired, evicted early (store full), or turned into a virtual peer edge.</summary>
    public static readonly Counter<long> Pairs = s_meter.CreateCounter<long>("autopilot.graph.spans", "{span}", "Client and server spans by pairing outcome (paired, expired, evicted, virtual).");

    /// <summary><c>autopilot_graph_dropped_total{reason}</c>: nodes or edges not created (max_nodes, max_edges).</summary>
    public static readonly Counter<long> Dropped = s_meter.CreateCounter<long>("autopilot.graph.dropped", "{item}", "Nodes and edges not created because the graph is at its cap, by reason.");

    /// <summary><c>autopilot_graph_changes_total{kind}</c>.</summary>
    public static readonly Counter<long> Changes = s_meter.CreateCounter<long>("autopilot.graph.changes", "{change}", "Changes recorded (deploy, schema, lifecycle).");

    /// <summary><c>autopilot_graph_flushes_total{outcome}</c>: writes to the graph store (ok, failed).</summary>
    public static readonly Counter<long> Flushes = s_meter.CreateCounter<long>("autopilot.graph.flushes", "{flush}", "Writes of the graph builder to its store, by outcome (ok, failed).");
}
