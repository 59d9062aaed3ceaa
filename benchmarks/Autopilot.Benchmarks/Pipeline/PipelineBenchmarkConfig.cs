using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Pipeline;

/// <summary>
/// A short job (1 launch, 3 warm-ups, 10 iterations) so the suite fits in a few minutes on 2 cores,
/// with per-element throughput and the ratio to per-element TPL Dataflow next to BenchmarkDotNet's ratio
/// to the fused loop.
/// </summary>
public sealed class PipelineBenchmarkConfig : ManualConfig
{
    public PipelineBenchmarkConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
        AddColumn(StatisticColumn.Median);
        AddColumn(new ElementsPerSecondColumn());
        AddColumn(new MedianRatioColumn(nameof(PipelineBenchmarks.TplDataflow), "vs TPL Dataflow"));
        SummaryStyle = BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(40);
    }
}
