using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using static Autopilot.Host.Tests.Rca.RcaServerFixture;

namespace Autopilot.Host.Tests.Rca.Grpc;

/// <summary>
/// An independent client, npm's <c>@grpc/grpc-js</c> with <c>@grpc/proto-loader</c> loading the published .proto, against
/// a real server whose engines opened an incident from spans (<see cref="RcaServerFixture"/>): Explain (plain and gzip),
/// the error statuses it sees, ListIncidents page by page, and WatchIncidents receiving an incident the engines open
/// while it watches.
/// </summary>
public sealed class RcaGrpcNodeClientTests(RcaServerFixture fixture) : IClassFixture<RcaServerFixture>
{
    private const long Minute = 60_000_000_000;
    private const string Service = "rca-grpc-js-orders";

    [Fact]
    public async Task GrpcJs_ExplainListAndWatch_AgainstARealServer()
    {
        await GrpcJsClient.EnsureInstalledAsync();
        using var process = GrpcJsClient.Start($"127.0.0.1:{fixture.Server.GrpcPort}", GrpcJsClient.Proto, fixture.IncidentId);
        var lines = Channel.CreateUnbounded<string>();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lines.Writer.TryComplete();
            }
            else
            {
                lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var steps = new Dictionary<string, JsonElement>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(timeout.Token))
            {
                var step = JsonDocument.Parse(line).RootElement.Clone();
                steps[step.GetProperty("step").GetString()!] = step;
                if (step.GetProperty("step").GetString() == "watch-ready")
                {
                    // The client is subscribed: now the engines open a new incident from new spans.
                    await ErrorBurst.PostAsync(fixture.Server.Http, Service, fixture.T0 + (4 * Minute), seed: 0x5501);
                }
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"rca-client.js did not finish within 120 s; steps so far: {string.Join(", ", steps.Keys)}; stderr: {stderr}");
        }

        Assert.True(process.ExitCode == 0, $"rca-client.js exited {process.ExitCode}; steps: {string.Join(", ", steps.Keys)}; stderr: {stderr}");

        // Explain: the deployed upstream service, rolled back; the same through gzip.
        foreach (var name in new[] { "explain", "explain-gzip" })
        {
            var explain = steps[name];
            Assert.Equal(fixture.IncidentId, explain.GetProperty("incident_id").GetString());
            Assert.Equal(Payments, explain.GetProperty("root_causes")[0].GetProperty("urn").GetString());
            Assert.Contains(explain.GetProperty("root_causes")[0].GetProperty("evidence").EnumerateArray(), e => e.GetString() == "trace");
            Assert.Equal("ACTION_TYPE_ROLLBACK", explain.GetProperty("actions")[0].GetProperty("action").GetString());
            Assert.Equal("RISK_MEDIUM", explain.GetProperty("actions")[0].GetProperty("risk").GetString());
            Assert.Equal([Checkout], explain.GetProperty("blast_radius").EnumerateArray().Select(u => u.GetString()));
            Assert.Equal("change.deploy", explain.GetProperty("timeline_kinds")[0].GetString());
            Assert.Equal("rules", explain.GetProperty("explainer").GetString());
            Assert.True(long.Parse(explain.GetProperty("from_unix_nano").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        }

        Assert.Equal(steps["explain"].GetProperty("stakeholder_update").GetString(), steps["explain-gzip"].GetProperty("stakeholder_update").GetString());

        // Statuses as grpc-js reports them.
        Assert.Equal(5, steps["explain-missing"].GetProperty("code").GetInt32());
        Assert.Equal("no incident 'inc-nope'", steps["explain-missing"].GetProperty("details").GetString());
        Assert.Equal(3, steps["analyze-invalid"].GetProperty("code").GetInt32());
        Assert.Equal("to_unix_nano: is before from_unix_nano", steps["analyze-invalid"].GetProperty("details").GetString());

        // ListIncidents one per page: the open incidents, each once, the fixture's among them.
        var listed = steps["list"].GetProperty("ids").EnumerateArray().Select(i => i.GetString()!).ToList();
        Assert.Contains(fixture.IncidentId, listed);
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(listed.Count, steps["list"].GetProperty("pages").GetInt32());

        // WatchIncidents: the snapshot had the open incidents; then the one the engines opened from the new spans.
        Assert.Contains(fixture.IncidentId, steps["watch-ready"].GetProperty("snapshot").EnumerateArray().Select(i => i.GetString()));
        var opened = steps["watch-opened"];
        var incident = opened.GetProperty("incident");
        Assert.Equal("incident", opened.GetProperty("payload").GetString());
        Assert.Equal("INCIDENT_STATUS_OPEN", incident.GetProperty("status").GetString());
        Assert.Equal("SEVERITY_CRITICAL", incident.GetProperty("severity").GetString());
        Assert.Equal([ErrorBurst.Urn(Service)], incident.GetProperty("affected_urns").EnumerateArray().Select(u => u.GetString()));
        Assert.StartsWith(incident.GetProperty("id").GetString() + "-", opened.GetProperty("event_id").GetString(), StringComparison.Ordinal);
        var finding = Assert.Single(opened.GetProperty("findings_before").EnumerateArray(), f => f.GetProperty("urn").GetString() == ErrorBurst.Urn(Service));
        Assert.Equal("dq.error_rate", finding.GetProperty("kind").GetString());
        Assert.Contains(finding.GetProperty("id").GetString(), incident.GetProperty("finding_ids").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(1, steps["watch-cancelled"].GetProperty("code").GetInt32());
        Assert.True(steps.ContainsKey("done"));

        // The incident the client was told about is the one the server stored, and the cancelled watch has gone.
        using var stored = JsonDocument.Parse(await fixture.Server.Http.GetStringAsync(new Uri("/api/incidents/" + incident.GetProperty("id").GetString(), UriKind.Relative)));
        Assert.Contains(ErrorBurst.Urn(Service), stored.RootElement.GetProperty("affectedUrns").EnumerateArray().Select(u => u.GetString()));
        await Engines.SpanFeed.WaitUntilAsync(() => Task.FromResult(fixture.Server.Server.Runtime.LiveEvents.SubscriberCount == 0), "the cancelled watch to unsubscribe");
    }
}
