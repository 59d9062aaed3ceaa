using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>The short job of the other suites, with spans per second (one thread) from the median.</summary>
public sealed class IngestPathBenchmarkConfig : ManualConfig
{
    public IngestPathBenchmarkConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
        AddColumn(StatisticColumn.Median);
        AddColumn(new ElementsPerSecondColumn());
    }
}
