using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Tests.Validate;

public sealed class ValidationFilesTests
{
    [Fact]
    public void ExpectParse_SampleExpectations_ReadsEverySection()
    {
        var expect = ExpectFile.Parse("expect.yaml", SampleRun.Expect + "\ncollectTimeout: 2m\n");

        Assert.Equal("orders", expect.Service);
        Assert.Equal(TimeSpan.FromMinutes(2), expect.CollectTimeout);
        Assert.Equal(5, expect.Spans.Count);
        var first = expect.Spans[0];
        Assert.Equal(new SpanSelector("orders", "server", "GET /orders/{id}"), first.Selector);
        Assert.Equal(3, first.MinCount);
        Assert.Equal(["http.request.method", "http.route", "http.response.status_code", "url.path"], first.Attributes);
        Assert.Equal("/orders/{id}", first.Values["http.route"]);
        Assert.Equal("inventory", expect.Spans[2].Selector.Service);

        Assert.Equal(2, expect.Propagation.Count);
        Assert.False(expect.Propagation[0].ViaMessage);
        Assert.True(expect.Propagation[1].ViaMessage);
        Assert.Equal(new SpanSelector("orders", "producer", "publish orders"), expect.Propagation[1].From);
        Assert.Equal(2, expect.Propagation[1].MinCount);

        Assert.Equal(["http.request.method", "http.route", "http.response.status_code"], expect.Metrics[0].Attributes);
        Assert.Equal("orders", expect.Metrics[1].Service);
        Assert.Equal(("orders.daily_export", "orders", 1), (expect.Lineage[0].Job, expect.Lineage[0].Namespace, expect.Lineage[0].MinCount));
        Assert.Equal(["START", "COMPLETE"], expect.Lineage[0].EventTypes);
    }

    [Fact]
    public void TrafficParse_SampleTraffic_ReadsRequestsAndProbe()
    {
        var traffic = TrafficFile.Parse("traffic.yaml", SampleRun.Traffic + """

            kafka:
              bootstrapServers: ${KAFKA_BOOTSTRAP_SERVERS}
              timeout: 3s
              messages:
                - { topic: orders, key: "1", value: '{"sku":"A1"}', headers: { content-type: application/json }, repeat: 4 }
                - { topic: payments, value: "{}" }
            """);

        Assert.Equal("http://127.0.0.1:${PORT}", traffic.BaseUrl);
        Assert.Equal(("/healthz", TimeSpan.FromSeconds(60), ReadinessProbe.DefaultInterval), (traffic.Readiness!.Url, traffic.Readiness.Timeout, traffic.Readiness.Interval));
        Assert.Empty(traffic.Readiness.ExpectedStatus);
        Assert.Equal(3, traffic.Requests.Count);
        var post = traffic.Requests[1];
        Assert.Equal(("place an order", "POST", "/orders", 2), (post.Name, post.Method, post.Url, post.Repeat));
        Assert.Equal([202], post.ExpectedStatus);
        Assert.Equal("{\"sku\":\"A1\"}", post.Body);
        var kafka = traffic.Kafka!;
        Assert.Equal(("${KAFKA_BOOTSTRAP_SERVERS}", TimeSpan.FromSeconds(3), true), (kafka.BootstrapServers, kafka.Timeout, kafka.Traceparent));
        Assert.Equal(5, kafka.Count);
        Assert.Equal(["orders", "payments"], kafka.Topics);
        var orders = kafka.Messages[0];
        Assert.Equal(("orders", "1", "{\"sku\":\"A1\"}", 4), (orders.Topic, orders.Key, orders.Value, orders.Repeat));
        Assert.Equal("application/json", orders.Headers["content-type"]);
        Assert.Null(kafka.Messages[1].Key);
    }

    [Theory]
    [InlineData("service: orders\nspans:\n  - name: x\n    atributes: [a]\n", "expect.yaml: spans[0].atributes: unknown key; expected one of name, kind, service, minCount, attributes, values")]
    [InlineData("service: orders\nspans:\n  - name: x\n    kind: serverr\n", "expect.yaml: spans[0].kind: 'serverr' is not one of internal, server, client, producer, consumer")]
    [InlineData("spans:\n  - name: x\n", "expect.yaml: service: required")]
    [InlineData("service: orders\n", "expect.yaml: spans: nothing to check: give at least one of spans, propagation, metrics, lineage")]
    [InlineData("service: orders\nspans:\n  - minCount: 2\n", "expect.yaml: spans[0].name: give a name or a kind (or both): which spans is this about?")]
    [InlineData("service: orders\nspans:\n  - name: x\n    minCount: lots\n", "expect.yaml: spans[0].minCount: 'lots' is not a whole number from 1 to 1000000")]
    [InlineData("service: orders\npropagation:\n  - via: pigeon\n    from: { kind: client }\n    to: { kind: server }\n", "expect.yaml: propagation[0].via: 'pigeon' is not one of http, message")]
    [InlineData("service: orders\npropagation:\n  - from: { kind: client }\n", "expect.yaml: propagation[0].to: required")]
    [InlineData("service: orders\nlineage:\n  - job: j\n    eventTypes: [STARTED]\n", "expect.yaml: lineage[0].eventTypes: 'STARTED' is not an OpenLineage event type (START, RUNNING, COMPLETE, ABORT, FAIL, OTHER)")]
    [InlineData("service: orders\ncollectTimeout: soon\nmetrics: [{ name: m }]\n", "expect.yaml: collectTimeout: 'soon' is not a duration above 0 and at most 1800s (e.g. 500ms, 30s, 2m)")]
    [InlineData("- just\n- a list\n", "expect.yaml: expected a mapping of keys at the top level")]
    [InlineData("service: orders\nspans: [\n", "expect.yaml: line 3, column 1: not valid YAML: While parsing a node, did not find expected node content.")]
    public void ExpectParse_BadInput_NamesFileAndKey(string yaml, string message)
    {
        var e = Assert.Throws<ValidationConfigException>(() => ExpectFile.Parse("expect.yaml", yaml));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("requests: [{ path: / }]\n", "traffic.yaml: baseUrl: required")]
    [InlineData("baseUrl: localhost:8080\nrequests: [{ path: / }]\n", "traffic.yaml: baseUrl: 'localhost:8080' is not an http:// or https:// URL")]
    [InlineData("baseUrl: http://h\n", "traffic.yaml: requests: required: at least one request (or a kafka section)")]
    [InlineData("baseUrl: http://h\nrequests: [{ method: FETCH, path: / }]\n", "traffic.yaml: requests[0].method: 'FETCH' is not one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS")]
    [InlineData("baseUrl: http://h\nrequests: [{ path: /, status: 700 }]\n", "traffic.yaml: requests[0].status: '700' is not an HTTP status code (100-599)")]
    [InlineData("baseUrl: http://h\nrequests: [{ path: /, repeat: 0 }]\n", "traffic.yaml: requests[0].repeat: '0' is not a whole number from 1 to 10000")]
    [InlineData("baseUrl: http://h\nrequests: [{ method: GET }]\n", "traffic.yaml: requests[0].path: required: the path (or url) to request")]
    [InlineData("baseUrl: http://h\nrequests: [{ path: /a, url: http://h/b }]\n", "traffic.yaml: requests[0].url: give either path (relative to baseUrl) or url, not both")]
    [InlineData("baseUrl: http://h\nreadiness: { timeout: 5s }\nrequests: [{ path: / }]\n", "traffic.yaml: readiness.path: required: the path (or url) to poll")]
    [InlineData("baseUrl: http://h\nrequests: [{ path: /, headers: [a, b] }]\n", "traffic.yaml: requests[0].headers: expected a mapping of 'name: value'")]
    [InlineData("baseUrl: http://h\nkafka:\n  bootstrapServers: b:9092\n  messages: [{ key: k }]\n", "traffic.yaml: kafka.messages[0].topic: required")]
    [InlineData("baseUrl: http://h\nkafka:\n  messages: [{ topic: t }]\n", "traffic.yaml: kafka.bootstrapServers: required")]
    [InlineData("baseUrl: http://h\nkafka:\n  bootstrapServers: b:9092\n", "traffic.yaml: kafka.messages: required: at least one message (topic, and optionally key, value, headers, repeat)")]
    [InlineData("baseUrl: http://h\nkafka:\n  bootstrapServers: b:9092\n  messages: [{ topic: 'or ders' }]\n", "traffic.yaml: kafka.messages[0].topic: 'or ders' is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249; ${VAR} allowed)")]
    [InlineData("baseUrl: http://h\nkafka:\n  bootstrapServers: b:9092\n  traceparent: maybe\n  messages: [{ topic: t }]\n", "traffic.yaml: kafka.traceparent: 'maybe' is not true or false")]
    [InlineData("baseUrl: http://h\nkafka:\n  bootstrapServers: b:9092\n  timeout: forever\n  messages: [{ topic: t }]\n", "traffic.yaml: kafka.timeout: 'forever' is not a duration above 0 and at most 300s (e.g. 500ms, 30s, 2m)")]
    [InlineData("baseUrl: http://h\nkafka:\n  bootstrapServers: b:9092\n  messages: [{ topic: t, partition: 2 }]\n", "traffic.yaml: kafka.messages[0].partition: unknown key; expected one of topic, key, value, headers, repeat")]
    [InlineData("baseUrl: http://h\nkafka:\n  brokers: b:9092\n  messages: [{ topic: t }]\n", "traffic.yaml: kafka.brokers: unknown key; expected one of bootstrapServers, timeout, traceparent, messages")]
    public void TrafficParse_BadInput_NamesFileAndKey(string yaml, string message)
    {
        var e = Assert.Throws<ValidationConfigException>(() => TrafficFile.Parse("traffic.yaml", yaml));

        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("2m", 120_000)]
    [InlineData("1.5", 1_500)]
    [InlineData("1h", 3_600_000)]
    public void DurationText_CommonForms_Parse(string text, long milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(milliseconds, (long)value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1s")]
    [InlineData("1d")]
    public void DurationText_Nonsense_IsRefused(string text) => Assert.False(DurationText.TryParse(text, out _));

    [Theory]
    [InlineData("GET /orders/{id}", "GET /orders/{id}", true)]
    [InlineData("GET /orders/{id}", "GET /orders/42", false)]
    [InlineData("GET /orders*", "GET /orders/{id}", true)]
    [InlineData("* /orders/{id}", "POST /orders/{id}", true)]
    [InlineData("*process*", "orders process", true)]
    [InlineData("a*b*c", "acb", false)]
    public void Glob_Patterns_MatchAsDocumented(string pattern, string text, bool expected) =>
        Assert.Equal(expected, Glob.Matches(pattern, text));
}
