using Autopilot.Engines.Drift;
using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// The drift engine's bin lookup, per value (every metric point and span duration of a series with a fixed reference
/// goes through it): <see cref="Psi.Bin"/> against the binary search it replaced (the peer), over 2^20 values spread
/// uniformly over the edges' range, as a metric's values spread over its reference's quantiles (that many, so the
/// branch predictor cannot learn the sequence: over 4,096 values repeated it did, and the binary search looked free). Edges: 9 (the default
/// 10 bins) and 99 (the most, 100 bins). One operation is one value.
/// </summary>
[Config(typeof(ShortJobConfig))]
public class PsiBinBenchmarks
{
    private const int Count = 1 << 20;
    private double[] _edges = [];
    private double[] _values = [];

    [Params(9, 99)]
    public int Edges { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _edges = [.. Enumerable.Range(1, Edges).Select(i => i * 10.0)];
        _values = [.. Enumerable.Range(0, Count).Select(_ => random.NextDouble() * 10.0 * (Edges + 1))];
        foreach (var v in _values)
        {
            if (Psi.Bin(_edges, v) != Psi.BinBySearch(_edges, v))
            {
                throw new InvalidOperationException("Psi.Bin and the binary search disagree: the comparison would be meaningless");
            }
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "binary search (peer, before)")]
    public long Binary()
    {
        long total = 0;
        foreach (var v in _values)
        {
            total += Psi.BinBySearch(_edges, v);
        }

        return total;
    }

    [Benchmark(OperationsPerInvoke = Count, Description = "Psi.Bin (count without branches)")]
    public long Counted()
    {
        long total = 0;
        foreach (var v in _values)
        {
            total += Psi.Bin(_edges, v);
        }

        return total;
    }
}
