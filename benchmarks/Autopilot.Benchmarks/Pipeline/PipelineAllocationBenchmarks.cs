using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// Separates Autopilot's fixed cost per run (buffers, pools, channels, tasks) from its cost per element:
/// Allocated is per run here, so (Allocated at the large N − at the small N) / ΔN is the steady-state
/// allocation per element, which should be 0.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class PipelineAllocationBenchmarks
{
    private PartitionState[] _expected = [];

    [Params(250_000, 4_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => _expected = Workload.Expected(N);

    [Benchmark(Description = "Autopilot.Pipeline, one run")]
    public async Task<PartitionState[]> AutopilotRun()
    {
        var result = await AutopilotVariant.RunAsync(N);
        Workload.Verify("Autopilot.Pipeline", _expected, result);
        return result;
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
    }
}
