using System.CommandLine;
using Autopilot.Engines.Logs;
using Autopilot.Host.Commands;

namespace Autopilot.Host.Tests.Commands;

public sealed class LogsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("autopilot-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Templates_LogHubContent_WritesOneQuotedRowPerLine()
    {
        var (contents, _) = LogHubAccuracy.ReadStructured(LogHubFile("Spark"));
        var input = Path.Combine(_dir, "spark.log");
        await File.WriteAllLinesAsync(input, contents);
        var output = Path.Combine(_dir, "templates.csv");

        var (code, stdout, stderr) = await RunAsync("logs", "templates", "--input", input, "--out", output);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, stderr);
        var rows = (await File.ReadAllLinesAsync(output)).ToList();
        Assert.Equal("line,template_id,template", rows[0]);
        Assert.Equal(contents.Count + 1, rows.Count);
        Assert.StartsWith("1,", rows[1], StringComparison.Ordinal);
        Assert.StartsWith($"{contents.Count},", rows[^1], StringComparison.Ordinal);

        // "Block rdd_2_0 stored as bytes in memory (estimated size 16.0 B, free 5.6 MB)" holds a comma: quoted.
        var block = contents.ToList().FindIndex(c => c.StartsWith("Block ", StringComparison.Ordinal) && c.Contains("stored as bytes", StringComparison.Ordinal));
        Assert.True(block >= 0);
        var row = rows[block + 1];
        Assert.Matches("^[0-9]+,[0-9]+,\"Block <\\*> stored as bytes in memory \\(estimated size <\\*> [A-Z]*B, free <\\*> [A-Z]*B\\)\"$", row);

        var templates = rows.Skip(1).Select(r => r.Split(',')[1]).Distinct().Count();
        Assert.Contains($"lines: {contents.Count}, templates: {templates}", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Templates_MissingInput_ExitsTwoNamingTheFile()
    {
        var missing = Path.Combine(_dir, "nope.log");
        var (code, _, stderr) = await RunAsync("logs", "templates", "--input", missing, "--out", Path.Combine(_dir, "o.csv"));

        Assert.Equal(2, code);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Templates_UnwritableOutput_ExitsTwoNamingTheFile()
    {
        var input = Path.Combine(_dir, "in.log");
        await File.WriteAllTextAsync(input, "a b c\n");
        var output = Path.Combine(_dir, "no-such-dir", "o.csv");

        var (code, _, stderr) = await RunAsync("logs", "templates", "--input", input, "--out", output);

        Assert.Equal(2, code);
        Assert.Contains(output, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accuracy_Json_ReportsAllSystemsAndTheMean()
    {
        var (code, stdout, _) = await RunAsync("logs", "accuracy", "--loghub", Path.GetDirectoryName(Path.GetDirectoryName(LogHubFile("HDFS")))!, "--output", "json");

        Assert.Equal(0, code);
        using var json = System.Text.Json.JsonDocument.Parse(stdout);
        Assert.Equal(8, json.RootElement.GetProperty("systems").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("mean").GetDouble() > 0.93);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand { LogsCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>LogHub data sits beside the repository as ../shared/data; it is never copied into it.</summary>
    private static string LogHubFile(string system)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return LogHubAccuracy.StructuredPath(Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "loghub")), system);
            }
        }

        throw new DirectoryNotFoundException($"No Autopilot.sln above {AppContext.BaseDirectory}.");
    }
}
