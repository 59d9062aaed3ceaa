using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>
/// Redaction per signal with the built-in rules, on what the OTLP normalizer produces: 1,024 signals, 70 % HTTP
/// server spans with 12 semantic-convention attributes, 10 % database client spans (with a statement), 20 % log
/// records with a sentence as body. Every signal has its own attribute list. Two cases of clean traffic: values
/// that repeat as shared strings (the normalizer interns values up to 128 characters, so methods, routes, hosts
/// and status codes are the same string objects and the redactor remembers them clean), and every value a new
/// string (64 copies of the batch are rotated, far more strings than the redactor remembers, so each value is
/// scanned: the cost of unique ids, URLs and bodies). The peer is <see cref="Read"/>: looking once at every
/// attribute and name, the least any stage pays for a signal. Each method first copies the batch (the redacting
/// ones change it in place), so all carry the same copy. One operation is one signal.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class RedactionBenchmarks
{
    private const int Count = 1024;

    private readonly Redactor _redactor = Redactor.Default;
    private const int Copies = 64;

    private Signal[] _clean = [];
    private Signal[][] _fresh = [];
    private int _next;
    private Signal[] _secrets = [];
    private readonly Signal[] _work = new Signal[Count];

    [GlobalSetup]
    public void Setup()
    {
        _clean = Build(secrets: false);
        _fresh = Enumerable.Range(0, Copies).Select(_ => Fresh(_clean)).ToArray();
        _secrets = Build(secrets: true);
        if (_redactor.Redact(Copy(_clean)) != 0 || _redactor.Redact(Copy(_fresh[0])) != 0 || _redactor.Redact(Copy(_secrets)) != Count)
        {
            throw new InvalidOperationException("the workload is not what the benchmark says: clean signals must not change, every secret signal must");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "Read every attribute and name (peer)")]
    public long Read()
    {
        var signals = Copy(_clean);
        long total = 0;
        foreach (ref readonly var s in signals.AsSpan())
        {
            total += s.Name.Length;
            for (var i = 0; i < s.Attributes.Count; i++)
            {
                total += s.Attributes.KeyAt(i).Length + s.Attributes.ValueAt(i).Length;
            }
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "Redact, built-in rules, nothing matches, values repeat")]
    public int RedactClean() => _redactor.Redact(Copy(_clean));

    [Benchmark(OperationsPerInvoke = Count, Description = "Redact, built-in rules, nothing matches, every value new")]
    public int RedactCleanNewValues() => _redactor.Redact(Copy(_fresh[_next++ % Copies]));

    [Benchmark(OperationsPerInvoke = Count, Description = "Redact, built-in rules, one secret per signal")]
    public int RedactSecrets() => _redactor.Redact(Copy(_secrets));

    private Signal[] Copy(Signal[] source)
    {
        Array.Copy(source, _work, Count);
        return _work;
    }

    /// <summary>The same signals with every name and value a string object of its own.</summary>
    private static Signal[] Fresh(Signal[] signals) => signals
        .Select(s => s with
        {
            Name = new string(s.Name),
            Attributes = new SignalAttributes(
                Enumerable.Range(0, s.Attributes.Count).Select(s.Attributes.KeyAt).ToArray(),
                Enumerable.Range(0, s.Attributes.Count).Select(i => new string(s.Attributes.ValueAt(i))).ToArray()),
        })
        .ToArray();

    private static Signal[] Build(bool secrets)
    {
        var random = new Random(20261206);
        string[] routes = ["/api/orders/{id}", "/api/cart", "/api/users/{id}/profile", "/healthz", "/api/search"];
        string[] agents = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0 Safari/537.36", "okhttp/4.12.0", "python-requests/2.32.3"];
        string[] bodies = ["order 88421 accepted in 35 ms", "payment authorised for basket 5521 (3 items)", "cache miss for key product:1042, loading from db", "retrying call to inventory-service (attempt 2 of 5)"];
        string[] secretBodies = ["password reset mail sent to ann.lee@example.org", "login with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N", "charged card 4111 1111 1111 1111 for order 88421", "connect failed: password=hunter2 host=db"];
        var signals = new Signal[Count];
        for (var n = 0; n < Count; n++)
        {
            var roll = n % 10;
            if (roll < 7)
            {
                var route = routes[random.Next(routes.Length)];
                string[] keys = ["http.request.method", "url.scheme", "url.path", "http.route", "server.address", "server.port", "network.protocol.version", "user_agent.original", "client.address", "http.response.status_code", "http.request.header.x-request-id", secrets ? "http.request.header.authorization" : "http.request.header.accept"];
                string[] values = ["GET", "https", route.Replace("{id}", "8842", StringComparison.Ordinal), route, "shop.example.com", "443", "1.1", agents[random.Next(agents.Length)], "10.1.4.23", "200", "4bf92f3577b34da6a3ce929d0e0e4736", secrets ? "Bearer abcdef0123456789" : "application/json"];
                signals[n] = new Signal(SignalKind.Span, "urn:autopilot:service:prod:shop", n, TraceId.Empty, (ulong)n, null, "GET " + route, 12, SignalStatus.Ok, 200, new SignalAttributes(keys, values));
            }
            else if (roll < 8)
            {
                string[] keys = ["db.system.name", "db.namespace", "db.collection.name", "db.operation.name", "db.query.text", "server.address", secrets ? "db.password" : "db.user"];
                string[] values = ["postgresql", "shop", "orders", "SELECT", "SELECT id, total, status FROM orders WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20", "db.internal", secrets ? "hunter2" : "shop_app"];
                signals[n] = new Signal(SignalKind.Span, "urn:autopilot:service:prod:shop", n, TraceId.Empty, (ulong)n, null, "SELECT shop.orders", 3, SignalStatus.Ok, 0, new SignalAttributes(keys, values));
            }
            else
            {
                string[] keys = ["log.logger", "thread.name", "code.function"];
                string[] values = ["Shop.Orders", "worker-3", "Accept"];
                var body = secrets ? secretBodies[n % secretBodies.Length] : bodies[random.Next(bodies.Length)];
                signals[n] = new Signal(SignalKind.Log, "urn:autopilot:service:prod:shop", n, TraceId.Empty, 0, null, body, 1, SignalStatus.Unset, 9, new SignalAttributes(keys, values));
            }
        }

        return signals;
    }

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
            AddColumn(StatisticColumn.Median);
            AddColumn(new ElementsPerSecondColumn());
        }
    }
}
