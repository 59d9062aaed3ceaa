using System.Net;
using System.Text;
using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Tests.Validate;

/// <summary>The embedded receiver on real loopback Kestrel (the runner tests drive it with the OpenTelemetry SDK's exporter).</summary>
public sealed class TelemetryReceiverTests
{
    [Fact]
    public async Task OtlpJson_SpanWithLink_IsCapturedWithParentAndLink()
    {
        await using var receiver = await TelemetryReceiver.StartAsync(CancellationToken.None);
        using var http = new HttpClient();
        const string body = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"worker"}}]},
              "scopeSpans":[{"scope":{"name":"s"},"spans":[{
                "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","parentSpanId":"eee19b7ec3c1b173",
                "name":"process orders","kind":5,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000002000000",
                "attributes":[{"key":"messaging.system","value":{"stringValue":"kafka"}}],
                "links":[{"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331"}]}]}]}]}
            """;

        using var response = await http.PostAsync($"{receiver.HttpEndpoint}/v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var span = Assert.Single(receiver.Capture.Snapshot().Spans);
        Assert.Equal(("worker", "consumer", "process orders"), (span.Service, span.Kind, span.Name));
        Assert.Equal("eee19b7ec3c1b173", span.ParentSpanId);
        Assert.Equal(2.0, span.DurationMs, 3);
        Assert.Equal("kafka", span.Attributes["messaging.system"]);
        Assert.False(span.Attributes.ContainsKey("span.kind"));
        Assert.Equal([new SpanLink("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331")], span.Links);
    }

    [Fact]
    public async Task BadPayloadAndWrongPath_AreRefusedAndRemembered()
    {
        await using var receiver = await TelemetryReceiver.StartAsync(CancellationToken.None);
        using var http = new HttpClient();

        using var bad = await http.PostAsync($"{receiver.HttpEndpoint}/v1/traces", new StringContent("{\"resourceSpans\": 7}", Encoding.UTF8, "application/json"));
        using var wrong = await http.PostAsync($"{receiver.HttpEndpoint}/v1/traces/v1/traces", new ByteArrayContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        var refused = receiver.Capture.Snapshot().Refused;
        Assert.Equal(2, refused.Count);
        Assert.StartsWith("OTLP/HTTP traces: resourceSpans", refused[0], StringComparison.Ordinal);
        Assert.StartsWith("POST /v1/traces/v1/traces on the HTTP port: no such endpoint", refused[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenLineageEvent_IsCapturedWithJobAndType()
    {
        await using var receiver = await TelemetryReceiver.StartAsync(CancellationToken.None);
        using var http = new HttpClient();
        const string body = """
            {"eventType":"START","eventTime":"2026-01-01T00:00:00Z","producer":"https://example.com/p",
             "run":{"runId":"3f5e83fa-3480-44ff-99c5-ff943904e5e8"},"job":{"namespace":"orders","name":"daily"},
             "inputs":[],"outputs":[{"namespace":"file","name":"/tmp/out.csv"}]}
            """;

        using var response = await http.PostAsync($"{receiver.HttpEndpoint}/api/v1/lineage", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var evt = Assert.Single(receiver.Capture.Snapshot().Lineage);
        Assert.Equal(("START", "orders", "daily"), (evt.EventType, evt.JobNamespace, evt.JobName));
        Assert.Equal(["file//tmp/out.csv"], evt.Outputs);
    }
}
