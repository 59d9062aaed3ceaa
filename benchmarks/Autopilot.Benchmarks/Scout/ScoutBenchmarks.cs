using Autopilot.Agents.Scout;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Autopilot.Benchmarks.Scout;

/// <summary>
/// Scout on a generated 10,000-file monorepo (<see cref="SyntheticRepo"/>), against the peer every scanner is
/// measured by: list every file and read every byte once, the way <c>grep -r</c> does (node_modules included,
/// no analysis at all). Both run warm in one process; the cold CLI (process start, JIT) is measured with
/// hyperfine (benchmarks/RESULTS.md).
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class ScoutBenchmarks
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "autopilot-bench-scout-" + Guid.NewGuid().ToString("N"));

    [Params(10_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        SyntheticRepo.Generate(_root, Files);
        var plan = Scan().Plan;
        // A scan that finds nothing would be fast for the wrong reason.
        if (plan.Repo.FilesScanned != Files || plan.Archetypes.Count != SyntheticRepo.Services || plan.Gaps.Count == 0)
        {
            throw new InvalidOperationException($"unexpected plan: {plan.Repo.FilesScanned} files, {plan.Archetypes.Count} services, {plan.Gaps.Count} gaps");
        }

        Console.WriteLine($"// {plan.Repo.FilesScanned} files, {plan.Archetypes.Count} services, {plan.Gaps.Count} gaps, {plan.PlannedChanges.Count} planned changes");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, Description = "read every file (grep -r)")]
    public long ReadEveryFile()
    {
        long bytes = 0;
        foreach (var file in Directory.EnumerateFiles(_root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            bytes += File.ReadAllBytes(file).Length;
        }

        return bytes;
    }

    [Benchmark(Description = "Scout scan")]
    public int Scout() => Scan().Plan.Gaps.Count;

    private ScoutResult Scan() => RepoScout.Scan(new ScoutOptions { RepoPath = _root, ReadGitHead = false });

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In process: the default toolchain rebuilds the whole solution first, which on a loaded shared
            // 2-core machine runs past BenchmarkDotNet's 2-minute build timeout. Both methods are in one process anyway.
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(10).WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
            AddColumn(StatisticColumn.Median);
            AddColumn(new MedianRatioColumn(nameof(ReadEveryFile), "vs read-every-file"));
        }
    }
}
