using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>
/// The short job of the other suites, with spans per second (one thread) from the median. The out-of-process build
/// gets 15 minutes instead of BenchmarkDotNet's 2: on the shared 2-core machine a build alone can take longer.
/// </summary>
public sealed class IngestPathBenchmarkConfig : ManualConfig
{
    public IngestPathBenchmarkConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
        AddColumn(StatisticColumn.Median);
        AddColumn(new ElementsPerSecondColumn());
        WithBuildTimeout(TimeSpan.FromMinutes(15));
    }
}
