using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Graph;

namespace Autopilot.Benchmarks.Rca;

/// <summary>
/// A synthetic asset graph for the explain benchmark: <see cref="Nodes"/> assets in five layers (four of
/// services calling into the next layers, the last of datasets they read) and <see cref="Edges"/> distinct
/// edges, fixed seed; and one incident: a layer-3 service deployed two minutes before it and the services
/// above that depend on it fail over a few minutes (40 findings).
/// </summary>
internal static class ExplainGraphFixture
{
    public const int Nodes = 5_000;
    public const int Edges = 50_000;
    public const long T0 = 1_764_000_000_000_000_000;
    private const long Minute = 60_000_000_000;

    public static string Urn(int i) => i >= 4 * (Nodes / 5) ? $"urn:autopilot:dataset:pg:table-{i}" : $"urn:autopilot:service:prod:svc-{i}";

    public static AssetGraph Graph()
    {
        var random = new Random(42);
        var graph = new AssetGraph();
        var layer = Nodes / 5;
        for (var i = 0; i < Nodes; i++)
        {
            graph.UpsertNode(Urn(i), i >= 4 * layer ? "dataset" : "service", T0 - (60 * Minute));
        }

        var seen = new HashSet<(int, int)>();
        while (seen.Count < Edges)
        {
            var from = random.Next(0, 4 * layer);
            var fromLayer = from / layer;
            var to = random.Next((fromLayer + 1) * layer, Nodes);
            if (seen.Add((from, to)))
            {
                graph.ObserveEdge(Urn(from), Urn(to), to >= 4 * layer ? EdgeKind.Reads : EdgeKind.Calls, T0 - (60 * Minute), new EdgeStats(100, 1, 2000, 30));
            }
        }

        return graph;
    }

    /// <summary>The incident's findings: the root first, then services that call it (directly or not), later and weaker.</summary>
    public static (Incident Incident, List<Finding> Findings, ChangeEvent Deploy) Incident(AssetGraph graph)
    {
        var root = Urn((3 * (Nodes / 5)) + 7);
        var affected = new List<string> { root };
        var frontier = new List<string> { root };
        var seen = new HashSet<string> { root };
        while (affected.Count < 40 && frontier.Count > 0)
        {
            var next = new List<string>();
            foreach (var urn in frontier)
            {
                foreach (var e in graph.EdgesOf(urn))
                {
                    if (e.To == urn && seen.Add(e.From))
                    {
                        next.Add(e.From);
                    }
                }
            }

            next.Sort(StringComparer.Ordinal);
            affected.AddRange(next.Take(40 - affected.Count));
            frontier = next;
        }

        var findings = new List<Finding>();
        for (var i = 0; i < affected.Count; i++)
        {
            var start = T0 + ((i / 8) * Minute);
            findings.Add(Finding.Create("dq.error_rate", "dq.error_rate", affected[i], i == 0 ? FindingSeverity.Critical : FindingSeverity.Warning, i == 0 ? 0.6 : 0.1,
                start, start + Minute, start + Minute, $"errors on {affected[i]}", new Evidence("window", "errors", 0.3, 0.05), new Evidence("trace", $"{i:x32}")));
        }

        var incident = new Incident("inc-bench", IncidentStatus.Open, FindingSeverity.Critical, findings[0].TimeUnixNano, findings[^1].TimeUnixNano, null,
            [.. affected.Order(StringComparer.Ordinal)], [.. findings.Select(f => f.Id)], [], [.. findings.Select(f => new TimelineEntry(f.TimeUnixNano, f.Urn, f.Kind, f.Summary, f.Id))], "bench");
        return (incident, findings, new ChangeEvent(root, "deploy", T0 - (2 * Minute), "1", "2", "deploy 1 → 2"));
    }
}
