using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.CsProj;
using BenchmarkDotNet.Toolchains.DotNetCli;

namespace Autopilot.Benchmarks.Ingest;

/// <summary>
/// The short job of the other suites, with spans per second (one thread) from the median. The out-of-process build
/// gets 15 minutes instead of BenchmarkDotNet's 2: on the shared 2-core machine a build alone can take longer.
/// </summary>
public sealed class IngestPathBenchmarkConfig : ManualConfig
{
    public IngestPathBenchmarkConfig()
    {
        var toolchain = CsProjCoreToolchain.From(new NetCoreAppSettings("net10.0", null, ".NET 10.0", timeout: TimeSpan.FromMinutes(15)));
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10).WithToolchain(toolchain).WithId("Short"));
        AddColumn(StatisticColumn.Median);
        AddColumn(new ElementsPerSecondColumn());
    }
}
