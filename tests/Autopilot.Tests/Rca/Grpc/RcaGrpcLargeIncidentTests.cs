using System.Text.Json;
using Autopilot.Host.Tests.Ingest;
using Autopilot.Rca.Grpc.V1;
using Engine = Autopilot.Engines;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>
/// A chronic failure's incident (30,000 findings, ~6.5 MB as a message) through ListIncidents and a WatchIncidents
/// snapshot: npm's <c>@grpc/grpc-js</c> with its default limits (4 MiB a message, as grpc-dotnet, grpc-go and grpc-java)
/// must receive every incident, the large one with its latest items and its totals.
/// </summary>
public sealed class RcaGrpcLargeIncidentTests
{
    private const long At = 1_760_000_000_000_000_000;
    private const long Minute = 60_000_000_000;
    private const int Findings = 30_000;

    [Fact]
    public async Task ChronicIncident_ListedAndSnapshotted_UnderFourMiB_WithItsLatestItemsAndTotals()
    {
        await using var server = await TestServer.StartAsync();
        var (chronic, small) = Seed(server.Server.Runtime.Store);

        await GrpcJsClient.EnsureInstalledAsync();
        var (code, output) = await GrpcJsClient.RunAsync("node", ["rca-client.js", "127.0.0.1:" + server.GrpcPort, GrpcJsClient.Proto, "--list-all"], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"rca-client.js --list-all exited {code}: {output}");
        var listed = output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .Where(l => l.GetProperty("step").GetString() == "listed").ToDictionary(l => l.GetProperty("id").GetString()!);

        Assert.Equal([.. small.Select(i => i.Id).Append(chronic.Id).Append("inc-chronic-2").Order(StringComparer.Ordinal)], listed.Keys.Order(StringComparer.Ordinal));
        var big = listed[chronic.Id];
        Assert.Equal((Findings, Findings), (big.GetProperty("finding_count").GetInt32(), big.GetProperty("timeline_count").GetInt32()));
        var ids = big.GetProperty("finding_ids").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.InRange(ids.Count, 1, Findings - 1);
        Assert.Equal(chronic.FindingIds.TakeLast(ids.Count), ids);
        Assert.Equal(chronic.Timeline.TakeLast(ids.Count).Select(t => t.TimeUnixNano.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            big.GetProperty("timeline_times").EnumerateArray().Select(e => e.GetString()));
        // The second large one did not fit beside the first: the page ended there and the next one has it, whole
        // enough for its own message.
        var second = listed["inc-chronic-2"];
        Assert.True(second.GetProperty("page").GetInt32() > big.GetProperty("page").GetInt32(), "both large incidents on one page");
        Assert.Equal(20_000, second.GetProperty("finding_count").GetInt32());
        Assert.InRange(second.GetProperty("finding_ids").GetArrayLength(), 1, 19_999);
        foreach (var incident in small)
        {
            var one = listed[incident.Id];
            Assert.Equal(incident.FindingIds, one.GetProperty("finding_ids").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(incident.FindingIds.Count, one.GetProperty("finding_count").GetInt32());
        }

        // The snapshot of a watch carries it cut the same way, its totals on the incident and the event.
        using var client = new RcaGrpcClient(server.GrpcEndpoint);
        await using var watch = await client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true });
        var snapshot = await watch.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");
        var large = Assert.Single(snapshot, m => m.Incident?.Id == chronic.Id);
        Assert.True(large.Incident.CalculateSize() <= 4 * 1024 * 1024, $"{large.Incident.CalculateSize()} bytes");
        Assert.Equal((Findings, Findings, Findings, Findings), (large.FindingCount, large.TimelineCount, large.Incident.FindingCount, large.Incident.TimelineCount));
        Assert.Equal(chronic.FindingIds.TakeLast(large.Incident.FindingIds.Count), large.Incident.FindingIds);
        Assert.Equal(small.Count, snapshot.Count(m => m.Incident is { } i && i.FindingIds.Count == i.FindingCount && i.Id != chronic.Id));
    }

    /// <summary>
    /// One open incident with <see cref="Findings"/> findings (updated last, so listed first), another with 20,000 (each
    /// fits a message only cut, and not both in one page), and three small ones.
    /// </summary>
    private static (Engine.Incidents.Incident Chronic, List<Engine.Incidents.Incident> Small) Seed(Engine.State.IEngineStore store)
    {
        var chronic = Large("inc-chronic", "urn:autopilot:service:default:chronic", Findings, At + (Findings * Minute));
        var second = Large("inc-chronic-2", "urn:autopilot:service:default:chronic-2", 20_000, At + (Findings * Minute) - 1);
        var small = Enumerable.Range(0, 3).Select(k => new Engine.Incidents.Incident($"inc-small-{k}", Engine.Incidents.IncidentStatus.Open, Engine.Findings.FindingSeverity.Warning, At, At + (k * Minute), null,
            [$"urn:autopilot:service:default:s{k}"], [$"f-small-{k}-a", $"f-small-{k}-b"], [], [
                new Engine.Incidents.TimelineEntry(At, $"urn:autopilot:service:default:s{k}", "anomaly.spike", "spike", $"f-small-{k}-a"),
                new Engine.Incidents.TimelineEntry(At + 1, $"urn:autopilot:service:default:s{k}", "anomaly.spike", "spike", $"f-small-{k}-b"),
            ], "warning incident")).ToList();
        store.UpsertIncidents([chronic, second, .. small]);
        return (chronic, small);
    }

    private static Engine.Incidents.Incident Large(string id, string urn, int findings, long updated)
    {
        var ids = Enumerable.Range(0, findings).Select(i => $"f-{id[4..]}-{i:D8}{new string('0', 20)}").ToList();
        var timeline = Enumerable.Range(0, findings).Select(i => new Engine.Incidents.TimelineEntry(At + (i * Minute), urn, "dq.error_rate",
            $"{10 + (i % 7)}.0% of 1,000 spans failed ({100 + (i % 70)} errors) on {urn}", ids[i])).ToList();
        return new Engine.Incidents.Incident(id, Engine.Incidents.IncidentStatus.Open, Engine.Findings.FindingSeverity.Critical, At, updated, null,
            [urn], ids, [new Engine.Incidents.SuspectedRoot(urn, 0.9, ["earliest finding of the incident"])], timeline, $"critical incident on 1 asset(s), {findings} finding(s)");
    }
}
