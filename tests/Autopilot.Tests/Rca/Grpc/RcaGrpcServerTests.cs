using Autopilot.Engines.Events;
using Autopilot.Host.Tests.Engines;
using Autopilot.Host.Tests.Ingest;
using Autopilot.Rca.Grpc.V1;
using Engine = Autopilot.Engines;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>The RCA gRPC service on servers of their own: bearer tokens, watcher limits, slow watchers, shutdown.</summary>
public sealed class RcaGrpcServerTests
{
    private const long Minute = 60_000_000_000;

    [Fact]
    public async Task WithTokens_EveryMethodWithoutAValidToken_IsUnauthenticated()
    {
        await using var server = await TestServer.StartAsync(o => o.Ingest.BearerTokens.Add("s3cret"));
        using var anonymous = new RcaGrpcClient(server.GrpcEndpoint);
        using var wrong = new RcaGrpcClient(server.GrpcEndpoint, token: "guess");
        using var authorized = new RcaGrpcClient(server.GrpcEndpoint, token: "s3cret");

        foreach (var method in new[] { "Explain", "Analyze", "ListIncidents", "WatchIncidents" })
        {
            var reply = await anonymous.CallRawAsync(method, RcaGrpcClient.Frame([], compressed: false));
            Assert.Equal(("16", "missing or invalid bearer token: send 'Authorization: Bearer <token>'"), (reply.Status, reply.Message));
            Assert.Equal("16", (await wrong.CallRawAsync(method, RcaGrpcClient.Frame([], compressed: false))).Status);
        }

        var list = await authorized.CallAsync("ListIncidents", new ListIncidentsRequest(), ListIncidentsResponse.Parser);
        Assert.Equal("0", list.Status);
        Assert.Empty(list.Reply!.Incidents);
        var missing = await authorized.CallAsync("Explain", new ExplainRequest { IncidentId = "inc-none" }, RcaAnswer.Parser);
        Assert.Equal("5", missing.Status);
    }

    [Fact]
    public async Task WatchIncidents_SlowWatcher_IsDroppedWithResourceExhausted_AndOthersKeepGettingEvents()
    {
        await using var server = await TestServer.StartAsync(o => o.LiveEvents.BufferPerSubscriber = 8);
        var live = server.Server.Runtime.LiveEvents;
        using var client = new RcaGrpcClient(server.GrpcEndpoint);

        // This watcher stops reading after the snapshot: HTTP/2 flow control soon stops the server's writes,
        // its 8-event buffer fills, and the broadcaster drops it instead of waiting.
        await using var slow = await client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true, IncludeFindings = true });
        await slow.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");
        var detail = new string('x', 2000);
        for (var batch = 0; batch < 40 && live.SubscriberCount > 0; batch++)
        {
            var events = new List<CloudEvent>();
            for (var i = 0; i < 100; i++)
            {
                var finding = Engine.Findings.Finding.Create("dq", "dq.error_rate", "urn:autopilot:service:default:slow", Engine.Findings.FindingSeverity.Warning, 0.5, (batch * 100) + i, 0, 0, "slow " + detail);
                events.Add(new CloudEvent(finding.Id, finding.Urn, "autopilot.finding.dq.error_rate", DateTimeOffset.UnixEpoch, finding));
            }

            live.Publish(events);
        }

        await SpanFeed.WaitUntilAsync(() => Task.FromResult(live.SubscriberCount == 0), "the slow watcher to be dropped");

        // A watcher that keeps up is unaffected.
        await using var other = await client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true, IncludeFindings = true });
        await other.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");
        var late = Engine.Findings.Finding.Create("dq", "dq.error_rate", "urn:autopilot:service:default:late", Engine.Findings.FindingSeverity.Critical, 0.9, 1, 2, 3, "late");
        live.Publish([new CloudEvent(late.Id, late.Urn, "autopilot.finding.dq.error_rate", DateTimeOffset.UnixEpoch, late)]);
        Assert.Equal(late.Id, (await other.ReadAsync())!.Finding.Id);

        // The slow one gets what was already written, then the status.
        var received = await slow.DrainAsync();
        Assert.InRange(received, 1, 3999);
        Assert.Equal("8", slow.Status);
        Assert.StartsWith("this watcher fell behind by more than 8 events and was dropped", slow.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchIncidents_MoreWatchersThanAllowed_IsResourceExhausted()
    {
        await using var server = await TestServer.StartAsync(o => o.LiveEvents.MaxSubscribers = 1);
        using var client = new RcaGrpcClient(server.GrpcEndpoint);
        await using var first = await client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true });
        await first.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");

        await using var second = await client.StreamAsync("WatchIncidents", new WatchIncidentsRequest());

        Assert.Null(await second.ReadAsync());
        Assert.Equal("8", second.Status);
        Assert.Equal("too many live watchers (at most 1, shared with GET /api/events); retry later", second.Message);
    }

    [Fact]
    public async Task WatchIncidents_ServerStops_StreamEndsWithUnavailable()
    {
        var server = await TestServer.StartAsync();
        try
        {
            using var client = new RcaGrpcClient(server.GrpcEndpoint);
            await using var watch = await client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true });
            await watch.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var stopping = server.Server.App.StopAsync(timeout.Token);
            Assert.Null(await watch.ReadAsync());
            await stopping;

            Assert.Equal("14", watch.Status);
            Assert.Equal("the server is stopping; watch again once it is back", watch.Message);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ListIncidents_PageSize_DefaultsTo100AndIsClampedTo1000()
    {
        await using var server = await TestServer.StartAsync();
        var store = server.Server.Runtime.Store;
        const long at = 1_760_000_000_000_000_000;
        store.UpsertIncidents(Enumerable.Range(0, 1001).Select(i => new Engine.Incidents.Incident(
            $"inc-{i:D4}", Engine.Incidents.IncidentStatus.Resolved, Engine.Findings.FindingSeverity.Info, at, at + (i * Minute), at + (i * Minute),
            ["urn:autopilot:service:default:x"], [], [], [], "incident")).ToList());
        using var client = new RcaGrpcClient(server.GrpcEndpoint);

        var byDefault = await client.CallAsync("ListIncidents", new ListIncidentsRequest(), ListIncidentsResponse.Parser);
        var clamped = await client.CallAsync("ListIncidents", new ListIncidentsRequest { PageSize = 5000 }, ListIncidentsResponse.Parser);
        var rest = await client.CallAsync("ListIncidents", new ListIncidentsRequest { PageSize = 5000, PageToken = clamped.Reply!.NextPageToken }, ListIncidentsResponse.Parser);

        Assert.Equal(100, byDefault.Reply!.Incidents.Count);
        Assert.Equal("inc-1000", byDefault.Reply.Incidents[0].Id);
        Assert.Equal(1000, clamped.Reply.Incidents.Count);
        Assert.Equal("inc-0000", Assert.Single(rest.Reply!.Incidents).Id);
        Assert.Empty(rest.Reply.NextPageToken);
    }
}
