using Autopilot.Ingest.Signals;
using Autopilot.Rca.Graph;

namespace Autopilot.Benchmarks.Rca;

/// <summary>
/// A synthetic asset graph of a chosen size for benchmarks of what reads the graph (e.g. the RCA explainer's
/// latency on 5,000 nodes / 50,000 edges). Deterministic for a seed. Shaped like a real estate: 40 % services
/// (one environment), 25 % datasets, 15 % topics, 20 % jobs; each edge kind joins the kinds it joins in life
/// (calls between services, reads/writes service → dataset, produces/consumes through topics, input-of/outputs
/// around jobs, derives-from between datasets); endpoints are drawn with preferential attachment, so a few hubs
/// have many edges as real dependency graphs do. History: one week from <see cref="Start"/>; one edge in ten has
/// a closed earlier version, one service in four a deploy and one dataset in five a schema change, each starting a
/// second node version. Traffic stats on every edge.
/// </summary>
public static class SyntheticGraph
{
    /// <summary>Start of the history (2026-01-01T00:00:00Z, Unix ns).</summary>
    public const long Start = 1_767_225_600_000_000_000;

    /// <summary>End of the history: one week after <see cref="Start"/>; every open version is valid here.</summary>
    public const long End = Start + (7 * Day);

    private const long Hour = 3_600_000_000_000;
    private const long Day = 24 * Hour;

    /// <summary>
    /// Builds a graph with exactly <paramref name="nodes"/> nodes and <paramref name="edges"/> distinct edges
    /// (from, to, kind). Throws when <paramref name="edges"/> cannot fit (more than about nodes² / 4).
    /// </summary>
    public static AssetGraph Create(int nodes, int edges, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(nodes, 10);
        ArgumentOutOfRangeException.ThrowIfNegative(edges);
        if (edges > (long)nodes * nodes / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(edges), $"{edges} edges do not fit among {nodes} nodes of these kinds; use at most {(long)nodes * nodes / 4}.");
        }

        var random = new Random(seed);
        var kinds = new[] { ("service", 0.40), ("dataset", 0.25), ("topic", 0.15), ("job", 0.20) };
        var byKind = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var pools = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var nodeVersions = new List<NodeVersion>(nodes + (nodes / 4));
        var changes = new List<ChangeEvent>();
        var made = 0;
        foreach (var (kind, share) in kinds)
        {
            var count = kind == "job" ? nodes - made : (int)(nodes * share);
            byKind[kind] = [];
            pools[kind] = [];
            for (var i = 0; i < count; i++)
            {
                var urn = kind switch
                {
                    "service" => Urn.Create("service", "prod", $"svc-{i:D5}"),
                    "dataset" => Urn.Create("dataset", "postgresql/shop", $"table_{i:D5}"),
                    "topic" => Urn.Create("topic", "kafka", $"events.{i:D5}"),
                    _ => Urn.Create("job", "airflow", $"dag_{i:D5}"),
                };
                pools[kind].Add(byKind[kind].Count);
                byKind[kind].Add(urn);
                AddNode(random, urn, kind, nodeVersions, changes);
            }

            made += count;
        }

        // Which kinds each edge kind joins, and how often it occurs.
        var shapes = new (EdgeKind Kind, string From, string To, double Share)[]
        {
            (EdgeKind.Calls, "service", "service", 0.40),
            (EdgeKind.Reads, "service", "dataset", 0.15),
            (EdgeKind.Writes, "service", "dataset", 0.10),
            (EdgeKind.Produces, "service", "topic", 0.07),
            (EdgeKind.Consumes, "topic", "service", 0.08),
            (EdgeKind.InputOf, "dataset", "job", 0.08),
            (EdgeKind.Outputs, "job", "dataset", 0.07),
            (EdgeKind.DerivesFrom, "dataset", "dataset", 0.05),
        };
        var seen = new HashSet<(string, string, EdgeKind)>();
        var edgeVersions = new List<EdgeVersion>(edges + (edges / 10));
        var attempts = 0L;
        while (seen.Count < edges)
        {
            if (++attempts > 200L * Math.Max(edges, 1))
            {
                throw new InvalidOperationException($"could only place {seen.Count} of {edges} edges among {nodes} nodes.");
            }

            var shape = Pick(random, shapes);
            var fromIndex = Preferential(random, pools[shape.From]);
            var toIndex = Preferential(random, pools[shape.To]);
            var from = byKind[shape.From][fromIndex];
            var to = byKind[shape.To][toIndex];
            if (from == to || !seen.Add((from, to, shape.Kind)))
            {
                continue;
            }

            pools[shape.From].Add(fromIndex);
            pools[shape.To].Add(toIndex);
            AddEdge(random, from, to, shape.Kind, edgeVersions);
        }

        var graph = new AssetGraph();
        graph.Apply(nodeVersions, edgeVersions, changes);
        return graph;
    }

    private static void AddNode(Random random, string urn, string kind, List<NodeVersion> versions, List<ChangeEvent> changes)
    {
        var from = Start + (long)(random.NextDouble() * Hour);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        string? key = kind switch
        {
            "service" when random.Next(4) == 0 => "service.version",
            "dataset" when random.Next(5) == 0 => "schema.fingerprint",
            _ => null,
        };
        if (key is null)
        {
            versions.Add(new NodeVersion(new GraphNode(urn, kind, from, null, properties), 0, End));
            return;
        }

        var changedAt = from + Day + (long)(random.NextDouble() * 5 * Day);
        var before = key == "service.version" ? "1.0.0" : $"{random.NextInt64():x16}";
        var after = key == "service.version" ? "1.1.0" : $"{random.NextInt64():x16}";
        versions.Add(new NodeVersion(new GraphNode(urn, kind, from, changedAt, new Dictionary<string, string> { [key] = before }), 0, changedAt));
        versions.Add(new NodeVersion(new GraphNode(urn, kind, changedAt, null, new Dictionary<string, string> { [key] = after }), 1, End));
        var change = key == "service.version" ? "deploy" : "schema";
        changes.Add(new ChangeEvent(urn, change, changedAt, before, after, $"{urn} {change} {before} → {after}"));
    }

    private static void AddEdge(Random random, string from, string to, EdgeKind kind, List<EdgeVersion> versions)
    {
        var requests = kind is EdgeKind.InputOf or EdgeKind.Outputs or EdgeKind.DerivesFrom ? random.Next(1, 8) : random.Next(100, 100_000);
        var errors = (long)(requests * random.NextDouble() * 0.02);
        var mean = 1 + (random.NextDouble() * 200);
        var stats = new EdgeStats(requests, errors, requests * mean, mean * (1.5 + random.NextDouble()));
        var from0 = Start + Hour + (long)(random.NextDouble() * 2 * Day);
        var seq = 0;
        if (random.Next(10) == 0)
        {
            // An earlier version that went idle before this one began.
            var ended = from0 + Hour;
            versions.Add(new EdgeVersion(new GraphEdge(from, to, kind, from0, ended, stats with { Requests = requests / 3, Errors = errors / 3 }), 0, ended - 1));
            from0 = ended + Day;
            seq = 1;
        }

        versions.Add(new EdgeVersion(new GraphEdge(from, to, kind, from0, null, stats), seq, End));
    }

    private static (EdgeKind Kind, string From, string To, double Share) Pick(Random random, (EdgeKind Kind, string From, string To, double Share)[] shapes)
    {
        var roll = random.NextDouble();
        foreach (var shape in shapes)
        {
            if ((roll -= shape.Share) < 0)
            {
                return shape;
            }
        }

        return shapes[^1];
    }

    /// <summary>
    /// Draws a node with probability proportional to 1 + its edges so far: the pool holds each node once plus once
    /// per edge end it got (exact preferential attachment in O(1)).
    /// </summary>
    private static int Preferential(Random random, List<int> pool) => pool[random.Next(pool.Count)];
}
