using Autopilot.Ingest.Signals;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// A pre-built stream of canonical signals with realistic cardinality: 1,000 services (URNs), 60% spans
/// (5% failed), 30% metrics, 10% logs, one signal per millisecond of event time; with or without attributes. Built once; the benchmark
/// shifts the times forward on each pass so event time only advances. <c>AUTOPILOT_BENCH_URNS</c> sets another number of
/// services, <c>AUTOPILOT_BENCH_STEP_NS</c> another event-time step between signals (nanoseconds) and
/// <c>AUTOPILOT_BENCH_CLUSTER</c> runs of signals of one service: how the stage's cost moves with the state's size, with
/// the signals per service and window, and with the order services arrive in, at the same work per signal.
/// </summary>
internal static class EngineSignals
{
    /// <summary>Services (URNs) in the stream: 1,000 unless <c>AUTOPILOT_BENCH_URNS</c> says otherwise.</summary>
    public static readonly int Urns = Setting("AUTOPILOT_BENCH_URNS", 1_000);

    /// <summary>Event time between two signals: 1 ms unless <c>AUTOPILOT_BENCH_STEP_NS</c> says otherwise.</summary>
    public static readonly long StepNanos = Setting("AUTOPILOT_BENCH_STEP_NS", 1_000_000);

    /// <summary>
    /// Consecutive signals of one service: 1 (each signal's service drawn at random) unless <c>AUTOPILOT_BENCH_CLUSTER</c>
    /// says otherwise; with k &gt; 1 each run of k signals goes to one service, the services taken in a fixed stride
    /// (7,919 apart, every one in turn), so each has as many signals as before but the runs arrive grouped by service.
    /// </summary>
    public static readonly int Cluster = Setting("AUTOPILOT_BENCH_CLUSTER", 1);

    private static int Setting(string variable, int otherwise) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : otherwise;

    // The attribute keys of an HTTP server span and of a metric point as the wire reader delivers them: one key array
    // per shape, shared by every signal of that shape (its key-array cache), values per signal.
    private static readonly string[] s_spanKeys =
    [
        "http.request.method", "url.path", "url.scheme", "url.full", "http.route", "http.response.status_code", "server.address",
        "server.port", "network.protocol.version", "client.address", "user_agent.original", "app.request.id",
    ];

    private static readonly string[] s_metricKeys = ["host.name", "state"];

    /// <summary>
    /// The stream; <paramref name="attributes"/> false gives every signal an empty attribute list (the stream every figure
    /// before 2026-12-07 was measured on), true gives spans the 12 attributes of an HTTP server span and metric points 2.
    /// </summary>
    public static Signal[] Build(int count, bool attributes = false)
    {
        var random = new Random(20261122);
        var urns = Enumerable.Range(0, Urns).Select(i => $"urn:autopilot:service:default:svc-{i:D4}").ToArray();
        var metricNames = new[] { "http.server.duration", "process.cpu.utilization", "queue.depth" };
        var methods = new[] { "GET", "GET", "GET", "POST", "PUT" };
        var agents = new[] { "okhttp/4.12.0", "Go-http-client/1.1", "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0.0.0" };
        var hosts = Enumerable.Range(0, 8).Select(h => $"ip-10-0-0-{h}.internal").ToArray();
        var states = new[] { "user", "system", "idle" };
        var signals = new Signal[count];

        // Attribute values come from a generator of their own, so the stream's signals (URNs, times, values, statuses) are
        // the same with and without attributes.
        var values = new Random(7);
        for (var i = 0; i < count; i++)
        {
            var pick = random.Next(Urns); // drawn either way, so the rest of the stream is the same
            var urn = urns[Cluster > 1 ? (int)((long)(i / Cluster) * 7919 % Urns) : pick];
            var time = i * StepNanos;
            var roll = random.Next(100);
            signals[i] = roll switch
            {
                < 60 => Span(urn, time, i, random, attributes ? values : null, methods, agents),
                < 90 => new Signal(SignalKind.Metric, urn, time, TraceId.Empty, 0, null, metricNames[random.Next(metricNames.Length)], random.NextDouble() * 100,
                    SignalStatus.Unset, 0, attributes ? new SignalAttributes(s_metricKeys, [hosts[values.Next(hosts.Length)], states[values.Next(states.Length)]]) : SignalAttributes.Empty),
                _ => new Signal(SignalKind.Log, urn, time, TraceId.Empty, 0, null, "order <*> accepted", 1, SignalStatus.Unset, 9, SignalAttributes.Empty),
            };
        }

        return signals;
    }

    private static Signal Span(string urn, long time, int i, Random random, Random? values, string[] methods, string[] agents)
    {
        var latency = random.Next(1, 500);
        var status = random.Next(1000) < 10 ? SignalStatus.Error : SignalStatus.Ok;
        var failed = random.Next(1000) < 5;
        return new Signal(SignalKind.Span, urn, time, TraceId.Empty, (ulong)i + 1, null, "GET /orders", latency, status, failed ? 503 : 200,
            values is null ? SignalAttributes.Empty : SpanAttributes(values, methods, agents, failed));
    }

    private static SignalAttributes SpanAttributes(Random random, string[] methods, string[] agents, bool failed)
    {
        var id = random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = "/api/orders/" + id;
        return new SignalAttributes(s_spanKeys,
        [
            methods[random.Next(methods.Length)], path, "https", "https://orders.shop.example.com" + path + "?expand=items", "/api/orders/{id}",
            failed ? "503" : "200", "orders.shop.svc.cluster.local", "8080", "1.1", "10.0." + random.Next(8) + "." + random.Next(2, 250),
            agents[random.Next(agents.Length)], random.NextInt64().ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
        ]);
    }
}
