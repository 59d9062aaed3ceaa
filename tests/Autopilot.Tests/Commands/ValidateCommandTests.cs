using System.Text.Json;
using Autopilot.Host.Commands;

namespace Autopilot.Host.Tests.Commands;

/// <summary>
/// The CLI surface of <c>autopilot validate</c>: exit codes, one-line usage errors, report files. The verdicts on
/// real sample services are tested in Agents.Tests (ValidationRunnerTests), where the samples are built.
/// </summary>
public sealed class ValidateCommandTests : IDisposable
{
    private const string Traffic = "baseUrl: http://127.0.0.1:${PORT}\nreadiness: { path: /healthz, timeout: 30s }\nrequests:\n  - { path: /orders/1 }\n";
    private const string Expect = "service: orders\nspans:\n  - { name: \"GET /orders/{id}\", kind: server }\n";
    private readonly string _dir = Directory.CreateTempSubdirectory("autopilot-validate-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Validate_BadExpectationFile_ExitsTwoWithOneLineNamingFileAndKey()
    {
        var expect = Write("expect.yaml", "service: orders\nspans:\n  - name: x\n    kind: serverr\n");

        var (code, stdout, stderr) = await RunAsync("validate", "--run", "true", "--traffic", Write("traffic.yaml", Traffic), "--expect", expect);

        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal("autopilot validate: expect.yaml: spans[0].kind: 'serverr' is not one of internal, server, client, producer, consumer", stderr.Trim());
    }

    [Fact]
    public async Task Validate_MissingFileAndBadOptions_ExitTwo()
    {
        var (code, _, stderr) = await RunAsync("validate", "--run", "true", "--traffic", Path.Combine(_dir, "nope.yaml"), "--expect", Write("expect.yaml", Expect));
        Assert.Equal(2, code);
        Assert.Contains("--traffic: no such file", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await RunAsync("validate", "--run", "true", "--traffic", "t", "--expect", "e", "--collect-timeout", "soon", "--env", "NOEQUALS");
        Assert.Equal(2, code);
        Assert.Equal(2, stderr.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task Validate_ServiceExitsAtOnce_ExitsThreeAndWritesReportWithItsOutput()
    {
        var report = Path.Combine(_dir, "report.json");
        var markdown = Path.Combine(_dir, "report.md");

        var (code, stdout, stderr) = await RunAsync(
            "validate", "--run", "echo 'listen tcp: address already in use' >&2; exit 4",
            "--traffic", Write("traffic.yaml", Traffic), "--expect", Write("expect.yaml", Expect),
            "--report", report, "--markdown", markdown, "--output", "json");

        Assert.True(code == 3, stderr);
        using var printed = JsonDocument.Parse(stdout);
        using var written = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        Assert.Equal("FAIL", written.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(4, written.RootElement.GetProperty("process").GetProperty("exitCode").GetInt32());
        Assert.Equal("listen tcp: address already in use", written.RootElement.GetProperty("process").GetProperty("stderrTail")[0].GetString());
        Assert.Equal(written.RootElement.GetProperty("checks").GetRawText(), printed.RootElement.GetProperty("checks").GetRawText());
        Assert.Contains("address already in use", await File.ReadAllTextAsync(markdown), StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CommandRun.RunAsync([ValidateCommand.Create()], args);
}
