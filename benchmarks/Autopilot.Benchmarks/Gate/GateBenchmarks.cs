using System.Diagnostics;
using Autopilot.Agents.Gate;
using Autopilot.Agents.Gate.Git;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Autopilot.Benchmarks.Gate;

/// <summary>
/// <c>autopilot gate</c> in process, warm, on the typical repository of <c>benchmarks/gate/make-typical-repo.sh</c>
/// (4 services, 50 schemas, 10 contracts, a pull request changing 12 files), next to its peer: only the git plumbing
/// the gate needs (rev-parse ×3, ls-files, ls-tree, one cat-file batch for the schema and contract blobs). The
/// difference is what the gate itself costs once the process is warm; the cold CLI is measured with hyperfine.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class GateBenchmarks
{
    private string _repo = string.Empty;
    private GateOptions _options = new();

    [GlobalSetup]
    public void Setup()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Autopilot.sln")))
        {
            root = root.Parent;
        }

        _repo = Path.Combine(Path.GetTempPath(), "gate-bench-" + Environment.ProcessId);
        var script = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Autopilot.sln not found"), "benchmarks", "gate", "make-typical-repo.sh");
        using var p = Process.Start("bash", [script, _repo]);
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {p.ExitCode}");
        }

        _options = new GateOptions { RepoPath = _repo, BaseRef = "main", PolicyPath = Path.Combine(_repo, "gates.yaml"), Now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero) };
        var status = GateRunner.RunAsync(_options, CancellationToken.None).GetAwaiter().GetResult();
        if (status.Status != GateVerdict.Fail || status.Summary.Checks != 20)
        {
            // The typical repository has one hard failure among 20 checks; anything else means the setup is wrong.
            throw new InvalidOperationException($"unexpected gate result on the typical repository: {status.Status}, {status.Summary.Checks} checks");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_repo, recursive: true);

    [Benchmark(Baseline = true, Description = "git plumbing only")]
    public async Task<int> GitPlumbing()
    {
        var git = await GitRepository.OpenAsync(_repo, CancellationToken.None);
        var head = await git.HeadCommitAsync(CancellationToken.None);
        var files = await git.WorkingTreeFilesAsync(CancellationToken.None);
        var commit = await git.ResolveCommitAsync("main", CancellationToken.None);
        var tree = await git.TreeAsync(commit, CancellationToken.None);
        var blobs = await git.ReadBlobsAsync(tree.Where(e => e.Key.EndsWith(".avsc", StringComparison.Ordinal) || e.Key.EndsWith(".proto", StringComparison.Ordinal) || e.Key.EndsWith(".json", StringComparison.Ordinal) || e.Key.EndsWith(".yaml", StringComparison.Ordinal)).Select(e => e.Value).ToList(), CancellationToken.None);
        return files.Count + blobs.Count + (head?.Length ?? 0);
    }

    [Benchmark(Description = "autopilot gate (in process)")]
    public async Task<int> Gate() => (await GateRunner.RunAsync(_options, CancellationToken.None)).Summary.Checks;

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            // In process: the work is git child processes and file reads, which hosting does not change, and the
            // generated out-of-process project does not build within BenchmarkDotNet's 2-minute limit on the shared machine.
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortInProcess"));
            AddColumn(StatisticColumn.Median);
            AddColumn(new MedianRatioColumn(nameof(GitPlumbing), "vs git only"));
        }
    }
}
