using Autopilot.Engines.Anomaly;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// One point scored and learned by the metric and latency engines' detector (default options: the five surprise
/// signals, the window memory and the likelihood layer). <c>Detectors</c> = 8,192 updates them in turn, as a shard does
/// with its series: each detector's state was last touched 8,191 updates ago (~20 MB of detectors, far more than the
/// caches hold), so the figure is mostly the state's cache misses; 1 is the same work with the state in cache. Values are
/// a daily wave with noise, one point a minute per detector, warmed past the detector's warm-up before measuring.
/// <c>Create</c>: a new detector, whose allocated bytes (the memory diagnoser's column) are what each series' detector
/// takes on the heap.
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class AnomalyDetectorBenchmarks
{
    private const int Updates = 1 << 16;
    private const long Minute = 60L * 1_000_000_000L;

    private AnomalyDetector[] _detectors = [];
    private double[] _values = [];
    private long _time;

    [Params(1, 8192)]
    public int Detectors { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _values = new double[Updates];
        for (var i = 0; i < Updates; i++)
        {
            _values[i] = 100 + (30 * Math.Sin(i * 2 * Math.PI / 1440)) + (10 * random.NextDouble());
        }

        _detectors = new AnomalyDetector[Detectors];
        for (var d = 0; d < Detectors; d++)
        {
            _detectors[d] = new AnomalyDetector();
        }

        // Past the warm-up (200 points) on every detector, so the measured updates take the full path.
        for (var p = 0; p < 300; p++)
        {
            Step(Detectors);
        }
    }

    [Benchmark(OperationsPerInvoke = Updates)]
    public double Update()
    {
        var total = 0.0;
        for (var i = 0; i < Updates; i += _detectors.Length)
        {
            total += Step(Math.Min(_detectors.Length, Updates - i));
        }

        return total;
    }

    [Benchmark]
    public AnomalyDetector Create() => new();

    /// <summary>One point on each of the first <paramref name="count"/> detectors, the next minute.</summary>
    private double Step(int count)
    {
        _time += Minute;
        var total = 0.0;
        var v = (int)(_time / Minute % Updates);
        for (var d = 0; d < count; d++)
        {
            total += _detectors[d].Update(_time, _values[(v + d) & (Updates - 1)]);
        }

        return total;
    }
}
