using Autopilot.Engines.Anomaly;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// A window's worth of spans added to many sketches in turn, as the latency engine adds them: 4,096 sketches (about the open
/// windows of the engine's default cap of 2,000 series) receive 36 spans each (a service's spans in a one-minute window of the engine
/// stage's stream), one span per sketch in turn, then every sketch is reset for the next window. The peer counts in
/// the 647 counters from the first span (the sketch before it kept small windows sparse); the other keeps up to
/// 48 bucket numbers inline. One operation is one span. <c>Create</c> and <c>CreateDense</c> give a sketch's bytes
/// (memory diagnoser).
/// </summary>
[Config(typeof(ShortJobConfig))]
[MemoryDiagnoser]
public class QuantileSketchAddBenchmarks
{
    private const int Sketches = 4096;
    private const int SpansPerWindow = 36;
    private QuantileSketch[] _dense = [];
    private QuantileSketch[] _sparse = [];
    private double[] _values = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261208);
        _dense = [.. Enumerable.Range(0, Sketches).Select(_ => new QuantileSketch(dense: true))];
        _sparse = [.. Enumerable.Range(0, Sketches).Select(_ => new QuantileSketch())];
        _values = [.. Enumerable.Range(0, 8192).Select(_ => (double)random.Next(1, 500))];
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Sketches * SpansPerWindow, Description = "dense: 647 counters (peer, before)")]
    public double Dense() => Window(_dense);

    [Benchmark(OperationsPerInvoke = Sketches * SpansPerWindow, Description = "sparse up to 48 spans (now)")]
    public double Sparse() => Window(_sparse);

    [Benchmark(Description = "Create dense (bytes per sketch, before)")]
    public object CreateDense() => new QuantileSketch(dense: true);

    [Benchmark(Description = "Create (bytes per sketch, now)")]
    public object Create() => new QuantileSketch();

    private double Window(QuantileSketch[] sketches)
    {
        var values = _values;
        var v = 0;
        for (var s = 0; s < SpansPerWindow; s++)
        {
            foreach (var sketch in sketches)
            {
                var value = values[v++ & (values.Length - 1)];
                sketch.Add(value, QuantileSketch.BucketOf(value));
            }
        }

        var total = 0.0;
        foreach (var sketch in sketches)
        {
            total += sketch.Quantile(0.99);
            sketch.Reset();
        }

        return total;
    }
}
