using BenchmarkDotNet.Attributes;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// One graph (range → map → filter → partition by key into 4 → per-partition fold → combine) in each
/// framework, with an async boundary before the partitioned fold. Results are per element
/// (OperationsPerInvoke = N); every run checks its answer, so a broken variant cannot look fast.
/// </summary>
[Config(typeof(PipelineBenchmarkConfig))]
[MemoryDiagnoser]
public class PipelineBenchmarks
{
    public const int N = 1_000_000;

    /// <summary>Buffer size in elements for every bounded framework: Autopilot's default buffer capacity.</summary>
    public const int Capacity = 4096;

    private PartitionState[] _expected = [];

    [GlobalSetup]
    public void Setup()
    {
        _expected = Workload.Expected(N);
        if (Autopilot.Pipeline.PipelineSettings.Default.DefaultBufferCapacity != Capacity)
        {
            throw new InvalidOperationException("Capacity no longer matches Autopilot's default buffer capacity; update it so every framework is bounded alike.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = N, Description = "Hand-written fused loop")]
    public PartitionState[] FusedLoop() => Check("fused loop", FusedLoopVariant.Run(N));

    [Benchmark(OperationsPerInvoke = N, Description = "Autopilot.Pipeline")]
    public async Task<PartitionState[]> AutopilotPipeline() => Check("Autopilot.Pipeline", await AutopilotVariant.RunAsync(N));

    [Benchmark(OperationsPerInvoke = N, Description = "TPL Dataflow")]
    public async Task<PartitionState[]> TplDataflow() => Check("TPL Dataflow", await DataflowVariant.RunAsync(N, Capacity));

    [Benchmark(OperationsPerInvoke = N, Description = "TPL Dataflow batched")]
    public async Task<PartitionState[]> TplDataflowBatched() => Check("TPL Dataflow batched", await DataflowBatchedVariant.RunAsync(N, Capacity));

    [Benchmark(OperationsPerInvoke = N, Description = "System.Reactive")]
    public async Task<PartitionState[]> Reactive() => Check("System.Reactive", await RxVariant.RunAsync(N));

    private PartitionState[] Check(string variant, PartitionState[] result)
    {
        Workload.Verify(variant, _expected, result);
        return result;
    }
}
