using Autopilot.Ingest.Signals;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// A pre-built stream of canonical signals with realistic cardinality: 1,000 services (URNs), 60% spans
/// (5% failed), 30% metrics, 10% logs, one signal per millisecond of event time. Built once; the benchmark
/// shifts the times forward on each pass so event time only advances.
/// </summary>
internal static class EngineSignals
{
    public const int Urns = 1_000;
    public const long StepNanos = 1_000_000;

    public static Signal[] Build(int count)
    {
        var random = new Random(20261122);
        var urns = Enumerable.Range(0, Urns).Select(i => $"urn:autopilot:service:default:svc-{i:D4}").ToArray();
        var metricNames = new[] { "http.server.duration", "process.cpu.utilization", "queue.depth" };
        var signals = new Signal[count];
        for (var i = 0; i < count; i++)
        {
            var urn = urns[random.Next(Urns)];
            var time = i * StepNanos;
            var roll = random.Next(100);
            signals[i] = roll switch
            {
                < 60 => new Signal(SignalKind.Span, urn, time, TraceId.Empty, (ulong)i + 1, null, "GET /orders", random.Next(1, 500),
                    random.Next(1000) < 10 ? SignalStatus.Error : SignalStatus.Ok, random.Next(1000) < 5 ? 503 : 200, SignalAttributes.Empty),
                < 90 => new Signal(SignalKind.Metric, urn, time, TraceId.Empty, 0, null, metricNames[random.Next(metricNames.Length)], random.NextDouble() * 100,
                    SignalStatus.Unset, 0, SignalAttributes.Empty),
                _ => new Signal(SignalKind.Log, urn, time, TraceId.Empty, 0, null, "order <*> accepted", 1, SignalStatus.Unset, 9, SignalAttributes.Empty),
            };
        }

        return signals;
    }
}
