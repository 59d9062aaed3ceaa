using System.CommandLine;
using Autopilot.Agents.Scout;
using Autopilot.Host.Commands.Agents;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Commands;

/// <summary><c>autopilot scout</c>: summary table, JSON plan, exit codes 0 / 1 / 2.</summary>
public sealed class ScoutCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Scout_SampleWithGaps_PrintsServicesAndGapsAndExitsOne()
    {
        var repo = CopySample("java-spring-kafka");

        var (code, stdout, stderr) = await RunAsync("scout", repo);

        Assert.Equal(ScoutCommand.GapsFound, code);
        Assert.Equal(string.Empty, stderr);
        Assert.Contains("Services: 1", stdout, StringComparison.Ordinal);
        Assert.Matches(@"orders\s+\.\s+java\s+maven\s+spring_boot\s+kafka\s+jdbc\s+none", stdout);
        Assert.Contains("Gaps: 7", stdout, StringComparison.Ordinal);
        foreach (var gap in (string[])["missing_otel ", "missing_correlation ", "missing_lineage_spec ", "missing_contract ", "missing_runbook ", "missing_health_endpoint "])
        {
            Assert.Contains(gap, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("src/main/java/com/acme/orders/OrderService.java:", stdout, StringComparison.Ordinal);
        Assert.Contains("Planned changes: 7 (write it with --out plan.json)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scout_InstrumentedSample_GapsNoneAndExitsZero()
    {
        var (code, stdout, _) = await RunAsync("scout", CopySample("instrumented"));

        Assert.Equal(ScoutCommand.NoGaps, code);
        Assert.Contains("Services: 5", stdout, StringComparison.Ordinal);
        Assert.Contains("Gaps: none", stdout, StringComparison.Ordinal);
        Assert.Contains("sdk+init+propagation", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scout_OutAndJson_WriteTheSamePlan()
    {
        var repo = CopySample("monorepo");
        var file = Path.Combine(_dir.Path, "plan.json");

        var (code, stdout, _) = await RunAsync("scout", repo, "--out", file, "--output", "json", "--name", "shop");

        Assert.Equal(ScoutCommand.GapsFound, code);
        var written = await File.ReadAllTextAsync(file);
        Assert.Equal(stdout.Trim(), written.Trim());
        var plan = DiffPlanJson.Deserialize(written);
        Assert.Equal("shop", plan.Repo.Name);
        Assert.Equal(4, plan.Archetypes.Count);
        Assert.Equal(plan.Gaps.Count, plan.PlannedChanges.Count);
    }

    [Fact]
    public async Task Scout_OutWithTable_SaysWhereThePlanWent()
    {
        var file = Path.Combine(_dir.Path, "plan.json");

        var (_, stdout, _) = await RunAsync("scout", CopySample("go-gin"), "--out", file);

        Assert.Contains($"written to {file}", stdout, StringComparison.Ordinal);
        Assert.NotEmpty(DiffPlanJson.Deserialize(await File.ReadAllTextAsync(file)).Gaps);
    }

    [Fact]
    public async Task Scout_PathMissing_ExitsTwoWithOneLineNamingIt()
    {
        var missing = Path.Combine(_dir.Path, "no-such-repo");

        var (code, stdout, stderr) = await RunAsync("scout", missing);

        Assert.Equal(ScoutCommand.Usage, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"autopilot scout: '{missing}' does not exist.", stderr.Trim());
    }

    [Fact]
    public async Task Scout_PathIsAFile_ExitsTwo()
    {
        var file = Path.Combine(_dir.Path, "file.txt");
        await File.WriteAllTextAsync(file, "x");

        var (code, _, stderr) = await RunAsync("scout", file);

        Assert.Equal(ScoutCommand.Usage, code);
        Assert.Equal($"autopilot scout: '{file}' is not a directory.", stderr.Trim());
    }

    [Fact]
    public async Task Scout_OutUnwritable_ExitsTwoNamingTheFile()
    {
        var file = Path.Combine(_dir.Path, "no-such-dir", "plan.json");

        var (code, _, stderr) = await RunAsync("scout", CopySample("go-gin"), "--out", file);

        Assert.Equal(ScoutCommand.Usage, code);
        Assert.StartsWith($"autopilot scout: cannot write '{file}'", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scout", "required")]
    [InlineData("scout . --output xml", "xml")]
    [InlineData("scout . --bogus", "--bogus")]
    public async Task Scout_UsageErrors_RealProcessExitsTwo(string arguments, string mentioned)
    {
        using var process = AutopilotProcess.Start(arguments, captureOutput: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await stdout;

        Assert.Equal(2, process.ExitCode);
        Assert.Contains(mentioned, stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Scout_RealProcess_ExitCodeOneAndPlanOnStdout()
    {
        var repo = CopySample("node-express");
        using var process = AutopilotProcess.Start($"scout \"{repo}\" --output json", captureOutput: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(ScoutCommand.GapsFound, process.ExitCode);
        Assert.Equal(string.Empty, await stderr); // redirected stderr: no progress display
        Assert.Equal("notifications", Assert.Single(DiffPlanJson.Deserialize(await stdout).Archetypes).Name);
    }

    private string CopySample(string name)
    {
        var target = Path.Combine(_dir.Path, name);
        Copy(Path.Combine(SolutionDir(), "tests", "Agents.Tests", "SampleRepos", name), target);
        return target;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var dir in Directory.GetDirectories(from))
        {
            Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    private static string SolutionDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Autopilot.sln above {AppContext.BaseDirectory}.");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand { ScoutCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
