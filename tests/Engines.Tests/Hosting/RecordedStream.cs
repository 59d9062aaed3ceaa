using System.Globalization;
using Autopilot.Ingest.Signals;
using Autopilot.Engines.Tests.TestSupport;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>
/// A deterministic signal stream (seeded, so the same on every machine and run) that exercises every default engine
/// and the optional rule and SLO engines: 8 services with spans, metrics and logs, a contracted dataset, a dataset
/// without contract, a job and a topic, over 3 h 45 min of event time. Incidents are injected on purpose so each
/// engine has something to find: duplicate span and message ids, an error burst, a latency regression, a CPU
/// spike, a traffic drop and spike, attribute keys added and removed, schema changes, data-quality assertions,
/// missing attributes, new log templates and log spikes, a dataset and a job that stop updating. Times jitter
/// within their second and a few signals arrive late, as they do from real agents.
/// </summary>
internal static class RecordedStream
{
    public const int Services = 8;
    public const string OrdersDataset = "urn:autopilot:dataset:pg:public.orders";
    public const string CustomersDataset = "urn:autopilot:dataset:pg:public.customers";
    public const string EtlJob = "urn:autopilot:job:airflow:etl_orders";
    public const string OrdersTopic = "urn:autopilot:topic:kafka:orders";

    private const long Second = 1_000_000_000;
    private static readonly string[] Operations = ["GET /orders", "POST /orders", "SELECT orders"];
    private static readonly double[] OperationMs = [20, 80, 5];

    public static string ServiceUrn(int i) => "urn:autopilot:service:shop:svc-" + i.ToString(CultureInfo.InvariantCulture);

    public static Signal[] Build(TimeSpan length)
    {
        var random = new Random(20261123);
        var signals = new List<Signal>(450_000);
        var urns = Enumerable.Range(0, Services).Select(ServiceUrn).ToArray();
        var counters = new double[Services];
        var spansSinceMetric = new int[Services];
        ulong spanId = 0;
        long messageId = 0;
        var seconds = (long)length.TotalSeconds;
        for (long s = 0; s < seconds; s++)
        {
            var minute = s / 60.0;
            for (var i = 0; i < Services; i++)
            {
                var urn = urns[i];
                var rate = 1 + (i % 3);
                if (i == 6 && minute is >= 180 and < 210)
                {
                    rate = random.Next(20) == 0 ? 1 : 0; // traffic drop
                }
                else if (i == 7 && minute is >= 190 and < 205)
                {
                    rate *= 6; // traffic spike
                }

                var spans = rate == 0 ? 0 : random.Next(0, (2 * rate) + 1);
                for (var k = 0; k < spans; k++)
                {
                    var op = random.Next(Operations.Length);
                    var duration = OperationMs[op] * Math.Exp(0.3 * Gaussian(random));
                    if (i == 3 && minute is >= 160 and < 175)
                    {
                        duration *= 8; // latency regression
                    }

                    var errorProbability = i == 5 && minute is >= 130 and < 140 ? 0.3 : 0.005;
                    var failed = random.NextDouble() < errorProbability;
                    var id = ++spanId;
                    if (i == 1 && minute is >= 90 and < 95 && random.Next(20) == 0)
                    {
                        id = spanId - 1; // a repeated span id
                    }

                    var time = At(s, random);
                    var attributes = SpanAttributes(i, op, minute, failed);
                    signals.Add(new Signal(SignalKind.Span, urn, time, new TraceId((ulong)random.NextInt64(1, long.MaxValue), (ulong)random.NextInt64()), id, null,
                        Operations[op], Math.Round(duration, 3), failed && random.Next(2) == 0 ? SignalStatus.Error : SignalStatus.Ok, failed ? 503 : 200, attributes));
                    spansSinceMetric[i]++;
                }

                AddLogs(signals, random, urn, i, s, minute);
                if (s % 10 == i % 10)
                {
                    AddMetrics(signals, random, urn, i, s, minute, counters, spansSinceMetric);
                }
            }

            AddTopic(signals, random, s, minute, ref messageId);
            AddLineage(signals, random, s, minute);
            if (s % 997 == 500 && signals.Count > 0)
            {
                // A straggler from half a minute ago: late for every window the watermark has closed.
                var late = signals[^1];
                signals.Add(late with { TimeUnixNano = late.TimeUnixNano - (30 * Second) });
            }
        }

        return [.. signals];
    }

    private static long At(long second, Random random) => TestSignals.T0 + (second * Second) + (random.Next(1000) * 1_000_000L);

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static SignalAttributes SpanAttributes(int service, int op, double minute, bool failed)
    {
        var pairs = new List<string>(10);
        if (op < 2)
        {
            pairs.AddRange(["http.route", op == 0 ? "/orders" : "/orders/{id}", "http.request.method", op == 0 ? "GET" : "POST"]);
        }
        else
        {
            pairs.AddRange(["db.system", "postgresql", "db.operation.name", "SELECT"]);
        }

        if (!(service == 2 && op == 0 && minute >= 150))
        {
            pairs.AddRange(["server.address", "svc-" + service.ToString(CultureInfo.InvariantCulture)]); // removed from svc-2's GET at 2h30
        }

        if (service == 4 && op == 1 && minute >= 120)
        {
            pairs.AddRange(["feature.flag", "new-checkout"]); // added to svc-4's POST at 2h
        }

        if (failed)
        {
            pairs.AddRange(["error.type", "timeout"]);
        }

        return TestSignals.Attrs([.. pairs]);
    }

    private static void AddLogs(List<Signal> signals, Random random, string urn, int service, long s, double minute)
    {
        var lines = random.Next(0, 3);
        for (var k = 0; k < lines; k++)
        {
            var (body, error) = random.Next(4) switch
            {
                0 => ($"user u{random.Next(100_000)} logged in from 10.0.{random.Next(256)}.{random.Next(256)}", false),
                1 => ($"GET /api/orders/{random.Next(100_000)} returned 200 in {random.Next(1, 300)}ms", false),
                2 => ($"cache miss for key order:{random.Next(100_000)}", false),
                _ => ($"worker {random.Next(8)} finished batch {random.Next(100_000)} in {random.Next(1, 900)} ms", false),
            };
            signals.Add(Log(urn, At(s, random), body, error));
        }

        if (service == 4 && minute >= 105 && random.Next(30) == 0)
        {
            signals.Add(Log(urn, At(s, random), $"payment provider timeout after {random.Next(100, 5000)} ms retry {random.Next(1, 5)}", true));
        }

        if (service == 5 && minute is >= 130 and < 140)
        {
            for (var k = random.Next(2, 6); k > 0; k--)
            {
                signals.Add(Log(urn, At(s, random), "connection pool exhausted for db orders", true));
            }
        }

        if (service == 0 && minute >= 200 && random.Next(120) == 0)
        {
            signals.Add(Log(urn, At(s, random), $"shutting down consumer group g{random.Next(10)} on partition {random.Next(64)}", false));
        }
    }

    private static Signal Log(string urn, long time, string body, bool error) =>
        new(SignalKind.Log, urn, time, TraceId.Empty, 0, null, body, 1, error ? SignalStatus.Error : SignalStatus.Unset, error ? 17 : 9, SignalAttributes.Empty);

    private static void AddMetrics(List<Signal> signals, Random random, string urn, int service, long s, double minute, double[] counters, int[] spansSinceMetric)
    {
        var cpu = 0.3 + (0.1 * Math.Sin(2 * Math.PI * s / 3600.0)) + (0.02 * Gaussian(random));
        if (service == 2 && minute is >= 150 and < 156)
        {
            cpu = 0.95 + (0.01 * random.NextDouble());
        }

        signals.Add(Metric(urn, "process.cpu.utilization", At(s, random), Math.Round(cpu, 4), "metric.type", "gauge"));

        counters[service] += spansSinceMetric[service];
        spansSinceMetric[service] = 0;
        if (service == 0 && minute is >= 120 and < 120.2)
        {
            counters[service] = 0; // a counter reset (restarted process)
        }

        signals.Add(Metric(urn, "http.server.request.count", At(s, random), counters[service],
            "metric.type", "sum", "metric.monotonic", "true", "metric.temporality", "cumulative"));

        var p99 = 60 * Math.Exp(0.2 * Gaussian(random)) * (service == 3 && minute is >= 160 and < 175 ? 8 : 1);
        signals.Add(Metric(urn, "http.server.duration", At(s, random), 0,
            "metric.type", "histogram", "p99", p99.ToString("0.###", CultureInfo.InvariantCulture), "http.route", "/orders"));

        foreach (var direction in (string[])["read", "write"])
        {
            var io = (direction == "read" ? 500 : 200) * Math.Exp(0.25 * Gaussian(random));
            signals.Add(Metric(urn, "system.disk.io", At(s, random), Math.Round(io, 2), "metric.type", "gauge", "direction", direction, "host.name", "node-" + (service % 3)));
        }
    }

    private static Signal Metric(string urn, string name, long time, double value, params string[] attributes) =>
        new(SignalKind.Metric, urn, time, TraceId.Empty, 0, null, name, value, SignalStatus.Unset, 0, TestSignals.Attrs(attributes));

    private static void AddTopic(List<Signal> signals, Random random, long s, double minute, ref long messageId)
    {
        for (var k = random.Next(0, 4); k > 0; k--)
        {
            var id = ++messageId;
            if (minute is >= 110 and < 115 && random.Next(10) == 0)
            {
                id = messageId - 1; // redelivered
            }

            var time = At(s, random);
            var missing = minute is >= 135 and < 140 && random.Next(4) == 0;
            var publish = missing
                ? TestSignals.Attrs("messaging.operation.type", "publish")
                : TestSignals.Attrs("messaging.message.id", "m-" + id.ToString(CultureInfo.InvariantCulture), "messaging.operation.type", "publish");
            signals.Add(new Signal(SignalKind.Record, OrdersTopic, time, TraceId.Empty, 0, null, "publish", 1, SignalStatus.Ok, 0, publish));
            if (random.Next(2) == 0)
            {
                signals.Add(new Signal(SignalKind.Record, OrdersTopic, time + 5_000_000, TraceId.Empty, 0, null, "receive", 1, SignalStatus.Ok, 0,
                    TestSignals.Attrs("messaging.message.id", "m-" + id.ToString(CultureInfo.InvariantCulture), "messaging.operation.type", "receive")));
            }
        }
    }

    private static void AddLineage(List<Signal> signals, Random random, long s, double minute)
    {
        // The contracted dataset: written every 5 min, retyped at 2h, empty loads at 2h50, silent 3h15–3h35.
        if (s % 300 == 17 && !(minute is >= 195 and < 215))
        {
            var time = At(s, random);
            var (fingerprint, fields) = minute < 120 ? ("fp-a", "id:BIGINT,email:VARCHAR,amount:DECIMAL") : ("fp-b", "id:VARCHAR,email:VARCHAR,amount:DECIMAL,note:TEXT");
            signals.Add(new Signal(SignalKind.Lineage, OrdersDataset, time, TraceId.Empty, 0, "run-" + s.ToString(CultureInfo.InvariantCulture), "COMPLETE", 0, SignalStatus.Ok, 0,
                TestSignals.Attrs("lineage.direction", "output", "schema.fingerprint", fingerprint, "schema.fields", fields)));
            var rows = minute is >= 170 and < 190 ? 0 : 1000 + random.Next(-100, 100);
            signals.Add(new Signal(SignalKind.Record, OrdersDataset, time + 1_000_000, TraceId.Empty, 0, null, "lineage.row_count", rows, SignalStatus.Ok, 0,
                TestSignals.Attrs("lineage.direction", "output")));
        }

        if (s == 125 * 60)
        {
            signals.Add(new Signal(SignalKind.Record, OrdersDataset, At(s, random), TraceId.Empty, 0, null, "dq.assertion", 0, SignalStatus.Error, 0,
                TestSignals.Attrs("dq.assertion", "not_null_id", "column", "id")));
        }

        if (s == 126 * 60)
        {
            signals.Add(new Signal(SignalKind.Metric, OrdersDataset, At(s, random), TraceId.Empty, 0, null, "dq.null_count", 5, SignalStatus.Unset, 0,
                TestSignals.Attrs("column", "id")));
        }

        // A dataset without contract: a schema event every 15 min, a field removed at 2h20.
        if (s % 900 == 33)
        {
            var fields = minute < 140 ? "id:BIGINT,name:VARCHAR,city:VARCHAR" : "id:BIGINT,name:VARCHAR";
            signals.Add(new Signal(SignalKind.Lineage, CustomersDataset, At(s, random), TraceId.Empty, 0, null, "DATASET", 0, SignalStatus.Ok, 0,
                TestSignals.Attrs("schema.fingerprint", minute < 140 ? "c-1" : "c-2", "schema.fields", fields)));
        }

        // A job that completes every 10 min until 3h.
        if (s % 600 == 41 && minute < 180)
        {
            signals.Add(new Signal(SignalKind.Lineage, EtlJob, At(s, random), TraceId.Empty, 0, "run-" + s.ToString(CultureInfo.InvariantCulture), "COMPLETE", 0, SignalStatus.Ok, 0, SignalAttributes.Empty));
        }
    }
}
