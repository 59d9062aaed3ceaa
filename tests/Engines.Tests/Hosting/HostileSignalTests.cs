using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;
using static Autopilot.Engines.Tests.Anomaly.Engines.AnomalySignals;

namespace Autopilot.Engines.Tests.Hosting;

public sealed class HostileSignalTests
{
    [Fact]
    public void DefaultEngines_HugeUrnsNamesAndValues_NoEngineThrows_AndStateRoundTrips()
    {
        // What a misbehaving exporter can send: URNs, names and attribute values of thousands of characters, values that
        // are not finite, times at the edges, every signal kind, through every default engine plus threshold rules and an SLO. A shard catches an engine's exception and counts it, but
        // the engine has then lost that signal: no default engine may throw on any of these, while running, judging
        // windows, or writing and reading its state.
        var huge = new string('x', 5_000);
        string[] urns = ["urn:autopilot:service:default:" + huge, "urn:autopilot:dataset:pg:" + huge, "not-a-urn-" + huge, Service];
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -1, 0, 1e308, 250];
        var options = new EngineOptions();
        options.Anomaly.Rules.Add(new Autopilot.Engines.Anomaly.ThresholdRuleOptions { Name = "slow", Urn = "urn:autopilot:service:*", Expression = "p99 > 120ms for 60s" });
        options.Anomaly.Rules.Add(new Autopilot.Engines.Anomaly.ThresholdRuleOptions { Name = "hot", Expression = "op > 0.9 for 1m" });
        options.Anomaly.Slos.Add(new Autopilot.Engines.Anomaly.SloOptions { Name = "avail", Urn = "urn:autopilot:service:*" });
        var random = new Random(3);
        var stream = new List<(Signal, long)>();
        var t = T0;
        for (var i = 0; i < 20_000; i++)
        {
            t += Second;
            var urn = urns[random.Next(urns.Length)];
            var name = random.Next(3) == 0 ? huge : "op";
            var value = values[random.Next(values.Length)];
            var time = random.Next(200) == 0 ? (random.Next(2) == 0 ? 0 : long.MaxValue - 1) : t;
            var signal = random.Next(7) switch
            {
                0 => new Signal(SignalKind.Span, urn, time, TraceId.Empty, (ulong)i + 1, null, name, value, random.Next(4) == 0 ? SignalStatus.Error : SignalStatus.Ok, 500, new SignalAttributes(
                    ["http.route", "messaging.message.id", "messaging.operation.type"], [huge, (i % 50).ToString(System.Globalization.CultureInfo.InvariantCulture), "process"])),
                1 => Metric(urn, name, time, value, "gauge", ("state", huge), ("cpu", "0")),
                2 => Metric(urn, name, time, value, "histogram", ("p99", random.Next(2) == 0 ? huge : "12.5")),
                3 => Metric(urn, name, time, value, "sum", ("metric.monotonic", "true"), ("metric.temporality", "cumulative")),
                4 => new Signal(SignalKind.Log, urn, time, TraceId.Empty, 0, null, random.Next(2) == 0 ? huge : "order " + i + " accepted", 1, SignalStatus.Unset, 9, SignalAttributes.Empty),
                5 => new Signal(SignalKind.Lineage, urn, time, TraceId.Empty, 0, huge, name, value, SignalStatus.Ok, 0, new SignalAttributes(
                    ["schema.fields", "schema.fingerprint", "outputStatistics.rowCount"], [huge + ":string," + huge, huge, "12"])),
                _ => new Signal(SignalKind.Record, urn, time, TraceId.Empty, 0, null, "dq.assertion", value, SignalStatus.Error, 0, new SignalAttributes(["dq.assertion", "column"], [huge, huge])),
            };

            stream.Add((signal, t));
        }

        Assert.NotEmpty(ThroughEveryEngine(options, stream, watermarkEvery: 500, slack: 3_600 * Second).Captured);
    }

    [Fact]
    public void DefaultEngines_RandomEdgeFields_NoEngineThrows()
    {
        // Every field of a signal drawn from edge values (empty and odd URNs and names, duplicate and empty attribute keys,
        // non-finite values, times at and around zero and the far future, out of order), 60,000 of them through every
        // engine with watermarks in between: no engine may throw.
        string[] urns = ["", " ", "urn:autopilot:service:default:a", "urn:autopilot:service::", "urn:autopilot::x:y", "urn:autopilot:dataset:pg:public.orders", "urn:autopilot:topic:kafka:orders", "urn:autopilot:job:airflow:etl", "urn:autopilot:service:default:a\u0000b", "urn"];
        string[] names = ["", " ", "op", "dq.assertion", "dq.null_count", "GET /x", "http.server.duration", "<*>", "a b c d e f g h i j k l m n o p"];
        string[] keys = ["", "state", "metric.type", "p99", "metric.monotonic", "metric.temporality", "column", "schema.fields", "schema.fingerprint", "outputStatistics.rowCount", "messaging.message.id", "messaging.operation.type", "http.route", "dq.assertion", "severity"];
        string[] attributeValues = ["", "histogram", "summary", "sum", "gauge", "true", "cumulative", "NaN", "-1", "1e400", "id:integer,name:", ",,,", ":", "x:y:z", "0"];
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.Epsilon, -0.0, -5, 0, 1, 1e9];
        long[] times = [0, 1, -1, long.MaxValue, long.MinValue, T0, T0 + 1];
        var options = new EngineOptions();
        options.Anomaly.Rules.Add(new Autopilot.Engines.Anomaly.ThresholdRuleOptions { Name = "slow", Expression = "p99 > 120ms for 60s" });
        options.Anomaly.Slos.Add(new Autopilot.Engines.Anomaly.SloOptions { Name = "avail", Urn = "urn:autopilot:service:*" });
        var random = new Random(23);
        var stream = new List<(Signal, long)>();
        var t = T0;
        for (var i = 0; i < 60_000; i++)
        {
            t += random.Next(-2, 30) * Second;
            var n = random.Next(5);
            var k = new string[n];
            var v = new string[n];
            for (var a = 0; a < n; a++)
            {
                k[a] = keys[random.Next(keys.Length)];
                v[a] = attributeValues[random.Next(attributeValues.Length)];
            }

            var signal = new Signal(
                (SignalKind)random.Next(8),
                urns[random.Next(urns.Length)],
                random.Next(10) == 0 ? times[random.Next(times.Length)] : t,
                TraceId.Empty,
                (ulong)random.Next(100),
                random.Next(3) == 0 ? null : "run-" + random.Next(5),
                names[random.Next(names.Length)],
                values[random.Next(values.Length)],
                (SignalStatus)random.Next(4),
                random.Next(3) == 0 ? random.Next(-1, 600) : 0,
                new SignalAttributes(k, v));
            stream.Add((signal, t));
        }

        Assert.NotEmpty(ThroughEveryEngine(options, stream, watermarkEvery: 300, slack: 7 * 24 * 3_600 * Second).Captured);
    }

    /// <summary>
    /// The signals through every engine the options make (any exception fails the test), a watermark at the stream's clock
    /// every so many signals; then each engine's state written and read into a new one, whose watermark goes
    /// <paramref name="slack"/> past the end so every window is judged.
    /// </summary>
    private static EngineContext ThroughEveryEngine(EngineOptions options, List<(Signal Signal, long Clock)> stream, int watermarkEvery, long slack)
    {
        var engines = EngineCatalog.CreateDefault(0, options);
        Assert.Contains(engines, e => e is Autopilot.Engines.Anomaly.ThresholdRuleEngine);
        Assert.Contains(engines, e => e is Autopilot.Engines.Anomaly.SloBurnEngine);
        var context = EngineContext.Detached(options);
        for (var i = 0; i < stream.Count; i++)
        {
            foreach (var engine in engines)
            {
                engine.OnSignal(stream[i].Signal, context);
            }

            if (i % watermarkEvery == watermarkEvery - 1)
            {
                foreach (var engine in engines)
                {
                    Advance(engine, context, stream[i].Clock);
                }
            }
        }

        var restored = EngineCatalog.CreateDefault(0, options);
        for (var e = 0; e < engines.Count; e++)
        {
            Restore(engines[e], restored[e]);
            Advance(restored[e], context, stream[^1].Clock + slack);
        }

        return context;
    }
}
