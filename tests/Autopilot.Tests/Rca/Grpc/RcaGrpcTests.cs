using System.Net;
using System.Text.Json;
using Autopilot.Engines.Events;
using Autopilot.Host.Tests.Engines;
using Autopilot.Rca.Grpc.V1;
using Google.Protobuf;
using static Autopilot.Host.Tests.Rca.RcaServerFixture;
using Engine = Autopilot.Engines;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>
/// <c>autopilot.rca.v1.RcaService</c> on a real server's gRPC port, through our own raw HTTP/2 client, over an
/// incident the real engines made from spans (<see cref="RcaServerFixture"/>).
/// </summary>
public sealed class RcaGrpcTests(RcaServerFixture fixture) : IClassFixture<RcaServerFixture>, IDisposable
{
    private const long Minute = 60_000_000_000;
    private readonly RcaGrpcClient _client = new(fixture.Server.GrpcEndpoint);

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Explain_Incident_AnswersWhatTheHttpApiAnswers()
    {
        var reply = await _client.CallAsync("Explain", new ExplainRequest { IncidentId = fixture.IncidentId }, RcaAnswer.Parser);

        Assert.True(reply.Status == "0", $"{reply.Status}: {reply.Message}");
        var answer = reply.Reply!;
        Assert.Equal(fixture.IncidentId, answer.IncidentId);
        Assert.True(answer.HasIncidentId);
        var top = answer.RootCauses[0];
        Assert.Equal(Payments, top.Urn);
        Assert.Contains(top.Reasons, r => r.StartsWith("deploy change 2.5 min before", StringComparison.Ordinal));
        Assert.Contains(top.Evidence, e => e.Type == "trace");
        Assert.Equal(ActionType.Rollback, answer.Actions[0].Action);
        Assert.Equal(Payments, answer.Actions[0].Target);
        Assert.Equal(Risk.Medium, answer.Actions[0].Risk);
        Assert.Equal([Checkout], answer.BlastRadius);
        Assert.Equal("change.deploy", answer.Timeline[0].Kind);
        Assert.Equal("rules", answer.Explainer);
        Assert.False(answer.HasExplainerFallback);

        // The same analysis as the HTTP API's, field for field where both carry it.
        using var http = JsonDocument.Parse(await fixture.Server.Http.GetStringAsync(new Uri($"/api/incidents/{fixture.IncidentId}/explain", UriKind.Relative)));
        var json = http.RootElement;
        Assert.Equal(json.GetProperty("summary").GetString(), answer.Summary);
        Assert.Equal(json.GetProperty("stakeholderUpdate").GetString(), answer.StakeholderUpdate);
        Assert.Equal(json.GetProperty("rootCauses").EnumerateArray().Select(r => (r.GetProperty("urn").GetString(), r.GetProperty("score").GetDouble())),
            answer.RootCauses.Select(r => ((string?)r.Urn, r.Score)));
        Assert.Equal(json.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("timeUnixNano").GetInt64()), answer.Timeline.Select(t => t.TimeUnixNano));
        Assert.Equal(json.GetProperty("nextChecks").EnumerateArray().Select(c => c.GetString()), answer.NextChecks);
    }

    [Fact]
    public async Task Explain_GzipRequest_GetsAGzipAnswer_AndAPlainRequestAPlainOne()
    {
        var zipped = await _client.CallAsync("Explain", new ExplainRequest { IncidentId = fixture.IncidentId, Explainer = Explainer.Rules }, RcaAnswer.Parser, gzip: true);
        var plain = await _client.CallAsync("Explain", new ExplainRequest { IncidentId = fixture.IncidentId, Explainer = Explainer.Rules }, RcaAnswer.Parser);

        Assert.Equal("0", zipped.Status);
        Assert.Equal("gzip", zipped.Raw.Encoding);
        Assert.Equal([1], zipped.Raw.Flags);
        Assert.Null(plain.Raw.Encoding);
        Assert.Equal([0], plain.Raw.Flags);
        Assert.Equal(plain.Reply, zipped.Reply);

        // Compressed request, but the client does not accept gzip: the answer stays plain.
        var request = RcaGrpcClient.Frame(RcaGrpcClient.Gzip(new ExplainRequest { IncidentId = fixture.IncidentId }.ToByteArray()), compressed: true);
        var noAccept = await _client.CallRawAsync("Explain", request, encoding: "gzip", acceptEncoding: "identity");
        Assert.Equal("0", noAccept.Status);
        Assert.Equal([0], noAccept.Flags);
    }

    [Fact]
    public async Task Analyze_WindowAroundTheCaller_FindsTheDeployedUpstreamService()
    {
        var request = new AnalyzeRequest { FromUnixNano = fixture.T0 - (10 * Minute), ToUnixNano = fixture.T0 + (10 * Minute), SymptomUrn = Checkout };

        var reply = await _client.CallAsync("Analyze", request, RcaAnswer.Parser);

        Assert.True(reply.Status == "0", $"{reply.Status}: {reply.Message}");
        Assert.False(reply.Reply!.HasIncidentId);
        Assert.Equal(request.FromUnixNano, reply.Reply.FromUnixNano);
        Assert.Equal(request.ToUnixNano, reply.Reply.ToUnixNano);
        Assert.Equal(Payments, reply.Reply.RootCauses[0].Urn);
        Assert.Contains("around " + Checkout, reply.Reply.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyze_QuietWindow_AnswersWithNoRootCause()
    {
        var reply = await _client.CallAsync("Analyze", new AnalyzeRequest { FromUnixNano = fixture.T0 - (300 * Minute), ToUnixNano = fixture.T0 - (200 * Minute) }, RcaAnswer.Parser);

        Assert.True(reply.Status == "0", $"{reply.Status}: {reply.Message}");
        Assert.Empty(reply.Reply!.RootCauses);
        Assert.Empty(reply.Reply.BlastRadius);
        Assert.NotEmpty(reply.Reply.Summary);
    }

    [Theory]
    [InlineData(0L, 1_700_000_600_000_000_000L, null, 0, "from_unix_nano: required")]
    [InlineData(1_700_000_000_000_000_000L, 0L, null, 0, "to_unix_nano: required")]
    [InlineData(1_700_000_600_000_000_000L, 1_700_000_000_000_000_000L, null, 0, "to_unix_nano: is before from_unix_nano")]
    [InlineData(1_700_000_000_000_000_000L, 1_800_000_000_000_000_000L, null, 0, "to_unix_nano: the window from from_unix_nano to to_unix_nano is longer than the 7-day limit")]
    [InlineData(1_700_000_000_000L, 1_700_000_600_000L, null, 0, "from_unix_nano: 1700000000000 is in the first days of 1970; times are Unix nanoseconds")]
    [InlineData(-5L, 1_700_000_600_000_000_000L, null, 0, "from_unix_nano: -5 is negative")]
    [InlineData(1_700_000_000_000_000_000L, 1_700_000_600_000_000_000L, "checkout", 0, "symptom_urn: 'checkout' is not an Autopilot URN")]
    [InlineData(1_700_000_000_000_000_000L, 1_700_000_600_000_000_000L, null, 9, "explainer: 9 is not a value of Explainer")]
    public async Task Analyze_BadRequest_IsInvalidArgumentNamingTheField(long from, long to, string? urn, int explainer, string message)
    {
        var request = new AnalyzeRequest { FromUnixNano = from, ToUnixNano = to, Explainer = (Explainer)explainer };
        if (urn is not null)
        {
            request.SymptomUrn = urn;
        }

        var reply = await _client.CallAsync("Analyze", request, RcaAnswer.Parser);

        Assert.Equal("3", reply.Status);
        Assert.Contains(message, reply.Message, StringComparison.Ordinal);
        Assert.True(reply.Raw.TrailersOnly, "an error is a trailers-only answer");
        Assert.Empty(reply.Raw.Messages);
    }

    [Fact]
    public async Task Analyze_SeveralProblems_AreAllNamed()
    {
        var reply = await _client.CallAsync("Analyze", new AnalyzeRequest { SymptomUrn = "nope", Explainer = (Explainer)42 }, RcaAnswer.Parser);

        Assert.Equal("3", reply.Status);
        Assert.Equal(
            "explainer: 42 is not a value of Explainer (one of EXPLAINER_AUTO, EXPLAINER_RULES, EXPLAINER_LLM); from_unix_nano: required (Unix nanoseconds); to_unix_nano: required (Unix nanoseconds); symptom_urn: 'nope' is not an Autopilot URN (urn:autopilot:<kind>:<namespace>:<name>)",
            reply.Message);
    }

    [Theory]
    [InlineData("inc-nope", 0, "5", "no incident 'inc-nope'")]
    [InlineData("", 0, "3", "incident_id: required")]
    [InlineData("{id}", 7, "3", "explainer: 7 is not a value of Explainer")]
    [InlineData("{id}", 3, "9", "explainer: EXPLAINER_LLM, but no LLM is configured on this server")]
    public async Task Explain_BadRequest_SaysWhyWithTheRightStatus(string id, int explainer, string status, string message)
    {
        var request = new ExplainRequest { IncidentId = id.Replace("{id}", fixture.IncidentId, StringComparison.Ordinal), Explainer = (Explainer)explainer };

        var reply = await _client.CallAsync("Explain", request, RcaAnswer.Parser);

        Assert.Equal(status, reply.Status);
        Assert.Contains(message, reply.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Explain", "autopilot.rca.v1.ExplainRequest")]
    [InlineData("Analyze", "autopilot.rca.v1.AnalyzeRequest")]
    [InlineData("ListIncidents", "autopilot.rca.v1.ListIncidentsRequest")]
    [InlineData("WatchIncidents", "autopilot.rca.v1.WatchIncidentsRequest")]
    public async Task AnyMethod_MalformedRequestBytes_IsInvalidArgument(string method, string type)
    {
        // Field 1 as a length-delimited string whose length runs past the end of the message.
        var reply = await _client.CallRawAsync(method, RcaGrpcClient.Frame([0x0a, 0xff, 0xff, 0xff, 0x0f, 0x01], compressed: false));

        Assert.Equal("3", reply.Status);
        Assert.StartsWith($"the request is not a valid {type}: ", reply.Message, StringComparison.Ordinal);
        Assert.True(reply.TrailersOnly);
    }

    [Fact]
    public async Task Framing_BrokenOrOversizedOrUnknownCompression_IsRefusedWithAStatus()
    {
        var empty = await _client.CallRawAsync("Explain", []);
        Assert.Equal("3", empty.Status);
        Assert.Contains("expected a 5-byte frame header", empty.Message, StringComparison.Ordinal);

        var oversized = new byte[5];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(oversized.AsSpan(1), 10_000_000);
        var tooLarge = await _client.CallRawAsync("Analyze", oversized);
        Assert.Equal("3", tooLarge.Status);
        Assert.Contains("exceeds the limit of 65536 bytes", tooLarge.Message, StringComparison.Ordinal);

        var brotli = await _client.CallRawAsync("Explain", RcaGrpcClient.Frame([1, 2, 3], compressed: true), encoding: "br");
        Assert.Equal("12", brotli.Status);
        Assert.Contains("compression 'br' is not supported", brotli.Message, StringComparison.Ordinal);

        var notGzip = await _client.CallRawAsync("Explain", RcaGrpcClient.Frame([1, 2, 3], compressed: true), encoding: "gzip");
        Assert.Equal("3", notGzip.Status);
        Assert.Contains("not valid gzip", notGzip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        var reply = await _client.CallRawAsync("/autopilot.rca.v1.RcaService/ExplainEverything", RcaGrpcClient.Frame([], compressed: false));

        Assert.Equal("12", reply.Status);
        Assert.Contains("unknown gRPC method /autopilot.rca.v1.RcaService/ExplainEverything", reply.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotGrpc_Is415SayingHowToCall()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Server.GrpcEndpoint, RcaGrpcClient.Service + "Explain"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("{\"incident_id\":\"x\"}", System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("protos/autopilot/rca/v1/rca.proto", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListIncidents_Open_HasTheIncidentWithItsSuspectedRootsAndTimeline()
    {
        var reply = await _client.CallAsync("ListIncidents", new ListIncidentsRequest { Status = IncidentStatus.Open }, ListIncidentsResponse.Parser);

        Assert.True(reply.Status == "0", $"{reply.Status}: {reply.Message}");
        var incident = Assert.Single(reply.Reply!.Incidents, i => i.Id == fixture.IncidentId);
        Assert.All(reply.Reply.Incidents, i => Assert.Equal(IncidentStatus.Open, i.Status));
        Assert.Equal(Severity.Critical, incident.Severity);
        Assert.Contains(Checkout, incident.AffectedUrns);
        Assert.Contains(Payments, incident.AffectedUrns);
        Assert.Equal(2, incident.FindingIds.Count);
        Assert.NotEmpty(incident.SuspectedRoots);
        Assert.Contains(incident.Timeline, t => t.Kind == "dq.error_rate" && t.HasFindingId);
        Assert.False(incident.HasResolvedUnixNano);
        Assert.Empty(reply.Reply.NextPageToken);

        var resolved = await _client.CallAsync("ListIncidents", new ListIncidentsRequest { Status = IncidentStatus.Resolved }, ListIncidentsResponse.Parser);
        Assert.DoesNotContain(resolved.Reply!.Incidents, i => i.Id == fixture.IncidentId);
    }

    [Fact]
    public async Task ListIncidents_PageByPage_SeesEveryIncidentOnceNewestFirst()
    {
        // Resolved incidents ten days back, in a window of their own, three per update time (ties are paged by id).
        var store = fixture.Server.Server.Runtime.Store;
        var at = fixture.T0 - (14_400 * Minute);
        var incidents = Enumerable.Range(0, 7).Select(i => StoredIncident($"inc-page-{i}", Engine.Incidents.IncidentStatus.Resolved, at + (i / 3 * Minute))).ToList();
        store.UpsertIncidents(incidents);

        var ids = new List<string>();
        var token = string.Empty;
        var pages = 0;
        do
        {
            var request = new ListIncidentsRequest { FromUnixNano = at, ToUnixNano = at + (10 * Minute), PageSize = 2, PageToken = token };
            var reply = await _client.CallAsync("ListIncidents", request, ListIncidentsResponse.Parser);
            Assert.True(reply.Status == "0", $"{reply.Status}: {reply.Message}");
            Assert.InRange(reply.Reply!.Incidents.Count, 1, 2);
            ids.AddRange(reply.Reply.Incidents.Select(i => i.Id));
            token = reply.Reply.NextPageToken;
            pages++;
        }
        while (token.Length > 0 && pages < 10);

        Assert.Equal(4, pages);
        Assert.Equal(["inc-page-6", "inc-page-3", "inc-page-4", "inc-page-5", "inc-page-0", "inc-page-1", "inc-page-2"], ids);
    }

    [Fact]
    public async Task ListIncidents_BadRequest_IsInvalidArgumentNamingTheField()
    {
        async Task<string> ErrorOf(ListIncidentsRequest request)
        {
            var reply = await _client.CallAsync("ListIncidents", request, ListIncidentsResponse.Parser);
            Assert.Equal("3", reply.Status);
            return reply.Message;
        }

        Assert.StartsWith("status: 9 is not a value of IncidentStatus", await ErrorOf(new ListIncidentsRequest { Status = (IncidentStatus)9 }), StringComparison.Ordinal);
        Assert.StartsWith("page_size: -1 is negative", await ErrorOf(new ListIncidentsRequest { PageSize = -1 }), StringComparison.Ordinal);
        Assert.Equal("page_token: is not a token from ListIncidents' next_page_token", await ErrorOf(new ListIncidentsRequest { PageToken = "garbage!" }));
        Assert.Equal("to_unix_nano: is before from_unix_nano", await ErrorOf(new ListIncidentsRequest { FromUnixNano = fixture.T0, ToUnixNano = fixture.T0 - Minute }));

        // A token from one listing used for another.
        var store = fixture.Server.Server.Runtime.Store;
        var at = fixture.T0 - (20_000 * Minute);
        store.UpsertIncidents([StoredIncident("inc-token-a", Engine.Incidents.IncidentStatus.Resolved, at), StoredIncident("inc-token-b", Engine.Incidents.IncidentStatus.Resolved, at)]);
        var first = await _client.CallAsync("ListIncidents", new ListIncidentsRequest { FromUnixNano = at, ToUnixNano = at, PageSize = 1 }, ListIncidentsResponse.Parser);
        Assert.NotEmpty(first.Reply!.NextPageToken);
        Assert.StartsWith("page_token: was issued for other filters", await ErrorOf(new ListIncidentsRequest { FromUnixNano = at, PageSize = 1, PageToken = first.Reply.NextPageToken }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WatchIncidents_Snapshot_ThenAnIncidentTheEnginesOpenFromNewSpans()
    {
        const string service = "rca-grpc-inventory";
        await using var watch = await _client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true, IncludeFindings = true });
        Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
        Assert.Equal("application/grpc", watch.Response.Content.Headers.ContentType?.MediaType);

        var snapshot = await watch.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");
        Assert.Contains(snapshot, m => m.Type == WatchEventType.Snapshot && m.Incident.Id == fixture.IncidentId && m.Incident.Status == IncidentStatus.Open);
        Assert.All(snapshot.SkipLast(1), m => Assert.Equal(WatchEventType.Snapshot, m.Type));
        Assert.All(snapshot.SkipLast(1), m => Assert.Equal((m.Incident.FindingIds.Count, m.Incident.Timeline.Count), (m.FindingCount, m.TimelineCount)));

        await ErrorBurst.PostAsync(fixture.Server.Http, service, fixture.T0 + (4 * Minute), seed: 0x4401);
        var live = await watch.ReadUntilAsync(m => m.Type == WatchEventType.Opened && m.Incident.AffectedUrns.Contains(ErrorBurst.Urn(service)), "the incident on " + service);

        var opened = live[^1];
        Assert.NotEmpty(opened.EventId);
        Assert.Equal(opened.Incident.UpdatedUnixNano, opened.TimeUnixNano);
        Assert.Equal(opened.Incident.FindingIds.Count, opened.FindingCount); // a small incident: every item, and the totals
        Assert.Equal(opened.Incident.Timeline.Count, opened.TimelineCount);
        Assert.True(opened.FindingCount > 0);
        Assert.DoesNotContain(snapshot, m => m.Incident?.Id == opened.Incident.Id);
        var finding = Assert.Single(live, m => m.Type == WatchEventType.Finding && m.Finding.Urn == ErrorBurst.Urn(service));
        Assert.Equal("dq.error_rate", finding.Finding.Kind);
        Assert.Contains(finding.Finding.Id, opened.Incident.FindingIds);

        // What the stream said is what the store has.
        var stored = await _client.CallAsync("Explain", new ExplainRequest { IncidentId = opened.Incident.Id }, RcaAnswer.Parser);
        Assert.Equal("0", stored.Status);
        Assert.Equal(ErrorBurst.Urn(service), stored.Reply!.RootCauses[0].Urn);
    }

    [Fact]
    public async Task WatchIncidents_StatusFilterAndFindings_LeaveOutWhatWasNotAskedFor()
    {
        await using var resolvedOnly = await _client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { Status = IncidentStatus.Resolved, SendSnapshot = true });
        await using var all = await _client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true });

        // A status other than open has an empty snapshot.
        Assert.Equal(WatchEventType.SnapshotComplete, (await resolvedOnly.ReadAsync())!.Type);
        await all.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");

        var opened = StoredIncident("inc-filter-open", Engine.Incidents.IncidentStatus.Open, fixture.T0);
        var resolved = StoredIncident("inc-filter-resolved", Engine.Incidents.IncidentStatus.Resolved, fixture.T0);
        var finding = Engine.Findings.Finding.Create("dq", "dq.error_rate", Checkout, Engine.Findings.FindingSeverity.Warning, 0.5, fixture.T0, fixture.T0 + Minute, fixture.T0, "filter test");
        fixture.Server.Server.Runtime.LiveEvents.Publish([
            new CloudEvent("e-1", Checkout, "autopilot.incident.opened", DateTimeOffset.UnixEpoch, opened),
            new CloudEvent("e-2", Checkout, "autopilot.finding.dq.error_rate", DateTimeOffset.UnixEpoch, finding),
            new CloudEvent("e-3", Checkout, "autopilot.incident.resolved", DateTimeOffset.UnixEpoch, resolved),
        ]);

        var first = (await resolvedOnly.ReadAsync())!;
        Assert.Equal((WatchEventType.Resolved, "inc-filter-resolved", "e-3"), (first.Type, first.Incident.Id, first.EventId));
        Assert.True(first.Incident.HasResolvedUnixNano);

        var seen = await all.ReadUntilAsync(m => m.Incident?.Id == "inc-filter-resolved", "the resolved incident");
        Assert.Equal([(WatchEventType.Opened, "e-1"), (WatchEventType.Resolved, "e-3")], seen.Where(m => m.Incident?.Id.StartsWith("inc-filter-", StringComparison.Ordinal) == true).Select(m => (m.Type, m.EventId)));
        Assert.DoesNotContain(seen, m => m.Type == WatchEventType.Finding);
    }

    [Fact]
    public async Task WatchIncidents_Gzip_EveryMessageCompressed()
    {
        await using var watch = await _client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true }, gzip: true);

        var snapshot = await watch.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");

        Assert.Equal("gzip", RcaGrpcClient.Header(watch.Response, "grpc-encoding"));
        Assert.Contains(snapshot, m => m.Incident?.Id == fixture.IncidentId);
    }

    [Fact]
    public async Task WatchIncidents_ClientCancels_TheSubscriptionGoes()
    {
        var live = fixture.Server.Server.Runtime.LiveEvents;
        var before = live.SubscriberCount;
        var watch = await _client.StreamAsync("WatchIncidents", new WatchIncidentsRequest { SendSnapshot = true });
        await watch.ReadUntilAsync(m => m.Type == WatchEventType.SnapshotComplete, "the end of the snapshot");
        Assert.Equal(before + 1, live.SubscriberCount);

        await watch.DisposeAsync();

        await SpanFeed.WaitUntilAsync(() => Task.FromResult(live.SubscriberCount == before), "the cancelled watch to unsubscribe");
    }

    [Fact]
    public async Task Metrics_CountCallsByMethodAndStatus()
    {
        var reply = await _client.CallAsync("Explain", new ExplainRequest { IncidentId = "inc-counted" }, RcaAnswer.Parser);
        Assert.Equal("5", reply.Status);

        var metrics = await fixture.Server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("autopilot_rca_grpc_calls_total{code=\"NOT_FOUND\",method=\"Explain\"}", metrics, StringComparison.Ordinal);
    }

    private static Engine.Incidents.Incident StoredIncident(string id, Engine.Incidents.IncidentStatus status, long updated) =>
        new(id, status, Engine.Findings.FindingSeverity.Warning, updated - Minute, updated, status == Engine.Incidents.IncidentStatus.Resolved ? updated : null,
            [Checkout], ["f-" + id], [new Engine.Incidents.SuspectedRoot(Checkout, 0.7, ["first to fail"])],
            [new Engine.Incidents.TimelineEntry(updated - Minute, Checkout, "dq.error_rate", "errors", "f-" + id)], "test incident " + id);
}
