using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Tests.Validate;

/// <summary>The reasons the checks give, on captured spans written out by hand (the runner tests cover real services).</summary>
public sealed class ExpectationEvaluatorTests
{
    private static readonly ReceiverInfo Receiver = new("http://127.0.0.1:4318", "http/protobuf");

    [Fact]
    public void Attributes_DeprecatedKeyPresent_SaysWhichKeyToRename()
    {
        var expect = Expect("spans: [{ name: GET /a, kind: server, attributes: [http.request.method, url.path] }]");
        var span = Span("t1", "s1", null, "orders", "GET /a", "server", ("http.method", "GET"), ("url.path", "/a"));

        var check = Single(expect, Snapshot(span), "attributes:server GET /a @ orders");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("'http.request.method' missing on 1 of 1", check.Message, StringComparison.Ordinal);
        Assert.Contains("found the deprecated 'http.method' instead", check.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("url.path", check.Message, StringComparison.Ordinal);
        Assert.Equal("s1", Assert.Single(check.Evidence.SampleSpans).SpanId);
    }

    [Fact]
    public void Attributes_WrongValue_ShowsWhatWasSeen()
    {
        var expect = Expect("spans: [{ name: GET /a, kind: server, values: { http.route: /a } }]");
        var span = Span("t1", "s1", null, "orders", "GET /a", "server", ("http.route", "/a/{id}"));

        var check = Single(expect, Snapshot(span), "attributes:server GET /a @ orders");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("'http.route' should be '/a' but is '/a/{id}' on 1 of 1", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Span_SameNameOtherKind_SaysWhichKindArrived()
    {
        var expect = Expect("spans: [{ name: GET /a, kind: server }]");
        var span = Span("t1", "s1", null, "orders", "GET /a", "internal");

        var check = Single(expect, Snapshot(span), "span:server GET /a @ orders");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("arrived with kind 'internal': create them with kind server", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Span_FewerThanExpected_FailsWithCount()
    {
        var expect = Expect("spans: [{ name: GET /a, kind: server, minCount: 3 }]");

        var check = Single(expect, Snapshot(Span("t1", "s1", null, "orders", "GET /a", "server")), "span:server GET /a @ orders");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.StartsWith("only 1 of 3 expected", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Telemetry_UnnamedService_SaysToSetServiceName()
    {
        var expect = Expect("spans: [{ kind: server }]");

        var check = Single(expect, Snapshot(Span("t1", "s1", null, "unknown_service:dotnet", "GET /a", "server")), "telemetry:orders");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("set OTEL_SERVICE_NAME or the service.name resource attribute to 'orders'", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Propagation_ParentIsTheCallersServerSpan_NamesTheWrongParent()
    {
        var expect = Expect("propagation: [{ from: { service: orders, kind: client }, to: { service: inventory, kind: server } }]");
        var server = Span("t1", "a1", null, "orders", "GET /orders", "server");
        var client = Span("t1", "a2", "a1", "orders", "GET", "client");
        var downstream = Span("t1", "b1", "a1", "inventory", "GET /stock", "server");

        var check = Single(expect, Snapshot(server, client, downstream), "propagation:orders → inventory");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("their parent is server 'GET /orders' of 'orders', not the client span(s) of service 'orders'", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Propagation_ChildOfClientSpan_Passes()
    {
        var expect = Expect("propagation: [{ from: { service: orders, kind: client }, to: { service: inventory, kind: server } }]");
        var client = Span("t1", "a2", "a1", "orders", "GET", "client");
        var downstream = Span("t1", "b1", "a2", "inventory", "GET /stock", "server");

        var check = Single(expect, Snapshot(client, downstream), "propagation:orders → inventory");

        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Equal(["t1"], check.Evidence.TraceIds);
    }

    [Fact]
    public void Propagation_LinkOverHttp_DoesNotCount()
    {
        // Links stand for message hops; an HTTP server span must be a child of the client span.
        var expect = Expect("propagation: [{ from: { service: orders, kind: client }, to: { service: inventory, kind: server } }]");
        var client = Span("t1", "a2", null, "orders", "GET", "client");
        var downstream = Span("t2", "b1", null, "inventory", "GET /stock", "server") with { Links = [new SpanLink("t1", "a2")] };

        Assert.Equal(CheckStatus.Fail, Single(expect, Snapshot(client, downstream), "propagation:orders → inventory").Status);
    }

    [Fact]
    public void Lineage_StartWithoutComplete_SaysWhatIsMissing()
    {
        var expect = Expect("lineage: [{ job: export, eventTypes: [START, COMPLETE] }]");
        var seen = TelemetrySnapshot.Empty with { Lineage = [new CapturedLineageEvent("START", "ns", "export", "r1", [])] };

        var check = Single(expect, seen, "lineage:export");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("expected COMPLETE ×1, received START ×1", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Metric_MissingAttribute_ListsKeysSeen()
    {
        var expect = Expect("metrics: [{ name: http.server.request.duration, attributes: [http.route] }]");
        var seen = TelemetrySnapshot.Empty with { MetricPoints = [new CapturedMetricPoint("orders", "http.server.request.duration", new Dictionary<string, string> { ["http.request.method"] = "GET" })] };

        var check = Single(expect, seen, "metric:http.server.request.duration");

        Assert.Equal(CheckStatus.Fail, check.Status);
        Assert.Contains("never seen: 'http.route'; keys seen: 'http.request.method'", check.Message, StringComparison.Ordinal);
    }

    private static ExpectationSet Expect(string yaml) => ExpectFile.Parse("expect.yaml", "service: orders\n" + yaml + "\n");

    private static TelemetrySnapshot Snapshot(params CapturedSpan[] spans) => TelemetrySnapshot.Empty with { Spans = spans };

    private static ValidationCheck Single(ExpectationSet expect, TelemetrySnapshot seen, string name) =>
        Assert.Single(ExpectationEvaluator.Evaluate(expect, seen, Receiver), c => c.Name == name);

    private static CapturedSpan Span(string trace, string span, string? parent, string service, string name, string kind, params (string Key, string Value)[] attributes) =>
        new(trace, span, parent, service, name, kind, 1, false, attributes.ToDictionary(a => a.Key, a => a.Value), []);
}
