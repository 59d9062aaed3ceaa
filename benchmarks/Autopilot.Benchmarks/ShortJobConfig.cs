using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;

namespace Autopilot.Benchmarks;

/// <summary>
/// The short job (one launch, 3 warm-up and 10 measured iterations) with the median and elements per second (one
/// thread) from it, for the suites that share it (the ingest path, the engines' hot paths). The out-of-process build
/// gets 15 minutes instead of BenchmarkDotNet's 2: on the shared 2-core machine a build alone can take longer.
/// </summary>
public sealed class ShortJobConfig : ManualConfig
{
    public ShortJobConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithId("Short"));
        AddColumn(StatisticColumn.Median);
        AddColumn(new ElementsPerSecondColumn());
        WithBuildTimeout(TimeSpan.FromMinutes(15));
    }
}
