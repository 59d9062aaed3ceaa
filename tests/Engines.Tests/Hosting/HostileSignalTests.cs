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
        var engines = EngineCatalog.CreateDefault(0, options);
        Assert.Contains(engines, e => e is Autopilot.Engines.Anomaly.ThresholdRuleEngine);
        Assert.Contains(engines, e => e is Autopilot.Engines.Anomaly.SloBurnEngine);
        var context = EngineContext.Detached(options);
        var random = new Random(3);
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

            foreach (var engine in engines)
            {
                engine.OnSignal(signal, context);
            }

            if (i % 500 == 499)
            {
                foreach (var engine in engines)
                {
                    Advance(engine, context, t);
                }
            }
        }

        var restored = EngineCatalog.CreateDefault(0, options);
        for (var e = 0; e < engines.Count; e++)
        {
            Restore(engines[e], restored[e]);
            Advance(restored[e], context, t + (3_600 * Second));
        }

        Assert.NotEmpty(context.Captured);
    }
}
