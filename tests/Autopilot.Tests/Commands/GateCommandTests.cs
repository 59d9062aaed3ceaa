using System.Diagnostics;
using System.Text.Json;
using Autopilot.Host.Commands.Gate;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Commands;

/// <summary>
/// <c>autopilot gate</c> as a command: exit codes 0 / 1 / 2, table and JSON output, and GitHub Actions output
/// (annotations, step summary, base from GITHUB_BASE_REF), in process and as a real child process with real
/// environment variables, on real git repositories.
/// </summary>
public sealed class GateCommandTests
{
    private const string Schema = "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[\n  {\"name\":\"id\",\"type\":\"string\"}\n]}";
    private const string SchemaBroken = "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[\n  {\"name\":\"id\",\"type\":\"string\"},\n  {\"name\":\"customer\",\"type\":\"string\"}\n]}";
    private const string SchemaCompatible = "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[\n  {\"name\":\"id\",\"type\":\"string\"},\n  {\"name\":\"customer\",\"type\":\"string\",\"default\":\"\"}\n]}";

    [Fact]
    public async Task Gate_BreakingChange_ExitsOneAndPrintsTheFinding()
    {
        using var repo = Repo(SchemaBroken);

        var (code, stdout, stderr) = await RunAsync(null, "gate", "--repo", repo.Path, "--base", "main", "--now", "2026-04-01");

        Assert.True(code == GateCommand.Fail, $"exit {code}: {stderr}\n{stdout}");
        Assert.StartsWith("Gate ci: FAIL (exit 1)", stdout, StringComparison.Ordinal);
        Assert.Contains("schemas/order.avsc:3 [READER_FIELD_MISSING_DEFAULT_VALUE]", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("::error", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_CompatibleChange_ExitsZeroAndJsonIsTheStatus()
    {
        using var repo = Repo(SchemaCompatible);
        var outFile = Path.Combine(repo.Path, "..", Path.GetFileName(repo.Path) + "-status.json");

        var (code, stdout, _) = await RunAsync(null, "gate", "--repo", repo.Path, "--base", "main", "--output", "json", "--out", outFile);

        Assert.Equal(GateCommand.Pass, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("PASS", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, doc.RootElement.GetProperty("exitCode").GetInt32());
        Assert.Equal(stdout.Trim(), (await File.ReadAllTextAsync(outFile)).Trim());
        File.Delete(outFile);
    }

    [Fact]
    public async Task Gate_UnderGitHubActions_AnnotatesWritesTheSummaryAndTakesTheBaseFromThePullRequest()
    {
        using var repo = Repo(SchemaBroken);
        repo.Git("update-ref", "refs/remotes/origin/main", "main");
        var summary = Path.Combine(repo.Path, "..", Path.GetFileName(repo.Path) + "-summary.md");
        await File.WriteAllTextAsync(summary, "previous step\n");
        var env = new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true", ["GITHUB_STEP_SUMMARY"] = summary, ["GITHUB_BASE_REF"] = "main" };
        try
        {
            var (code, stdout, stderr) = await RunAsync(env, "gate", "--repo", repo.Path);

            Assert.True(code == GateCommand.Fail, stderr);
            Assert.Contains("::error file=schemas/order.avsc,line=3,title=schema-compat (hard-fail)%3A ", stdout, StringComparison.Ordinal);
            var md = await File.ReadAllTextAsync(summary);
            Assert.StartsWith("previous step\n## ❌ Gate `ci`: FAIL", md, StringComparison.Ordinal);
            Assert.Contains("Base `origin/main`", md, StringComparison.Ordinal);

            // JSON on stdout stays parseable: the annotations move to stderr.
            var (jsonCode, json, jsonErr) = await RunAsync(env, "gate", "--repo", repo.Path, "--output", "json");
            Assert.Equal(GateCommand.Fail, jsonCode);
            Assert.Equal("FAIL", JsonDocument.Parse(json).RootElement.GetProperty("status").GetString());
            Assert.Contains("::error file=schemas/order.avsc", jsonErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(summary);
        }
    }

    [Theory]
    [InlineData("--now", "yesterday", "autopilot gate: --now 'yesterday' is not a date or time")]
    [InlineData("--base", "no-such-branch", "autopilot gate: --base 'no-such-branch' is not a commit")]
    [InlineData("--policy", "/no/gates.yaml", "autopilot gate: --policy '/no/gates.yaml' does not exist")]
    [InlineData("--output", "xml", "xml")]
    [InlineData("--colour", "red", "--colour")]
    public async Task Gate_UsageError_ExitsTwoNamingTheProblem(string option, string value, string expected)
    {
        using var repo = Repo(SchemaBroken);

        var (code, stdout, stderr) = await RunAsync(null, "gate", "--repo", repo.Path, option, value);

        Assert.Equal(GateCommand.Usage, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Gate_BadPolicyFile_ExitsTwoWithOneLinePerProblem()
    {
        using var repo = Repo(SchemaBroken);
        await File.WriteAllTextAsync(Path.Combine(repo.Path, "gates.yaml"), "tiers:\n  - name: t\n    checks:\n      schema-compat: hardfail\n      runbok: warn\n");

        var (code, _, stderr) = await RunAsync(null, "gate", "--repo", repo.Path, "--base", "main", "--policy", Path.Combine(repo.Path, "gates.yaml"));

        Assert.Equal(GateCommand.Usage, code);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => Assert.StartsWith("autopilot gate: ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("gates.yaml:4: tiers[0].checks.schema-compat: 'hardfail' is not a mode", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("gates.yaml:5: tiers[0].checks.runbok: unknown check", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gate_BadSchemaFile_ExitsTwoNamingFileAndLine()
    {
        using var repo = Repo("{\"type\":\"record\",\"name\":\"Order\",\"fields\":[\n  {\"name\":\"id\",\"type\":\"strin\"}\n]}");

        var (code, _, stderr) = await RunAsync(null, "gate", "--repo", repo.Path, "--base", "main");

        Assert.Equal(GateCommand.Usage, code);
        Assert.Equal("autopilot gate: schema: schemas/order.avsc:2: unknown type 'strin' (not a primitive and not defined earlier in this file)", stderr.Trim());
    }

    [Fact]
    public async Task Gate_ChildProcessUnderGitHubActionsEnvironment_WritesAnnotationsAndSummary()
    {
        using var repo = Repo(SchemaBroken);
        var summary = Path.Combine(repo.Path, "..", Path.GetFileName(repo.Path) + "-child-summary.md");
        var dll = Path.Combine(AppContext.BaseDirectory, "autopilot.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "gate", "--repo", repo.Path, "--base", "main" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GITHUB_ACTIONS"] = "true";
        psi.Environment["GITHUB_STEP_SUMMARY"] = summary;
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(60_000), "autopilot gate did not finish within 60 s");

            Assert.True(p.ExitCode == GateCommand.Fail, $"exit {p.ExitCode}: {await stderr}");
            Assert.Contains("::error file=schemas/order.avsc,line=3,", await stdout, StringComparison.Ordinal);
            Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", await File.ReadAllTextAsync(summary), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(summary);
        }
    }

    /// <summary>Runs the gate command as Program.cs does (parse errors → exit 2, one line each), with a chosen environment.</summary>
    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(Dictionary<string, string>? env, params string[] args) =>
        CommandRun.RunAsync([GateCommand.Create(name => env is not null && env.TryGetValue(name, out var v) ? v : null)], args);

    /// <summary>A repository with schemas/order.avsc committed on main, then changed to <paramref name="head"/> in the working tree.</summary>
    private static GitRepo Repo(string head)
    {
        var repo = new GitRepo();
        repo.Write("schemas/order.avsc", Schema);
        repo.Git("add", "-A");
        repo.Git("commit", "-q", "-m", "base");
        repo.Write("schemas/order.avsc", head);
        return repo;
    }

    private sealed class GitRepo : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public GitRepo()
        {
            Git("init", "-q", "-b", "main");
            Git("config", "user.email", "gate@test");
            Git("config", "user.name", "Gate Test");
        }

        public string Path => _dir.Path;

        public void Write(string relative, string text)
        {
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        public string Git(params string[] args)
        {
            var psi = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in args)
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"git {string.Join(' ', args)}: {error}");
            return output;
        }

        public void Dispose() => _dir.Dispose();
    }
}
