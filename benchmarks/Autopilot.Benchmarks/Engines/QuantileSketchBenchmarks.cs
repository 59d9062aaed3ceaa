using Autopilot.Engines.Anomaly;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// What the latency engine reads of a window's sketch when it judges the window: before, p50, p95 and p99, each counted
/// up from the lowest bucket (the peer); now p99 alone, counted down from the highest (p50 and p95 only when a finding
/// is written). 1,024 sketches of 36 spans each (a service's spans in a one-minute window of the engine stage's stream)
/// with durations of 1–500 ms. One operation is one window.
/// </summary>
[Config(typeof(ShortJobConfig))]
public class QuantileSketchBenchmarks
{
    private const int Sketches = 1024;
    private QuantileSketch[] _sketches = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _sketches = new QuantileSketch[Sketches];
        for (var i = 0; i < Sketches; i++)
        {
            _sketches[i] = new QuantileSketch();
            for (var s = 0; s < 36; s++)
            {
                _sketches[i].Add(random.Next(1, 500));
            }

            if (_sketches[i].Quantile(0.99) != _sketches[i].QuantileScanningUp(0.99))
            {
                throw new InvalidOperationException("the two ways to a p99 disagree: the comparison would be meaningless");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Sketches, Description = "p50, p95, p99 counted up (peer, before)")]
    public double ThreeUp()
    {
        var total = 0.0;
        foreach (var s in _sketches)
        {
            total += s.QuantileScanningUp(0.50) + s.QuantileScanningUp(0.95) + s.QuantileScanningUp(0.99);
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Sketches, Description = "p99 counted down (now)")]
    public double P99Down()
    {
        var total = 0.0;
        foreach (var s in _sketches)
        {
            total += s.Quantile(0.99);
        }

        return total;
    }
}
