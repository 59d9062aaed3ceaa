using System.CommandLine;
using System.Text.Json;
using Autopilot.Host.Commands;
using Autopilot.Simulator.Tests.TestSupport;

namespace Autopilot.Simulator.Tests;

/// <summary><c>autopilot bench rca</c>: usage errors, and one full-length run on the server's default engine settings.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class BenchRcaCommandTests
{
    [Theory]
    [InlineData("--runs", "0", "--runs must be between 1 and 10000")]
    [InlineData("--faults", "latency,nope", "unknown fault kind 'nope'")]
    [InlineData("--ranking", "magic", "--ranking must be explain or suspected")]
    [InlineData("--output", "xml", "--output must be text or json")]
    [InlineData("--detail", "/dev/null", "--detail must name a directory")]
    public async Task BadOption_ExitsTwo_NamingTheProblem(string option, string value, string message)
    {
        var (code, stdout, stderr) = await RunAsync("bench", "rca", option, value);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneRun_OnDefaultSettings_DetectsTheFaultAndReportsJson()
    {
        var detail = Path.Combine(Path.GetTempPath(), "autopilot-bench-detail-" + Guid.NewGuid().ToString("N"));
        var (code, stdout, stderr) = await RunAsync("bench", "rca", "--runs", "1", "--seed", "3", "--faults", "cpu", "--output", "json", "--detail", detail);

        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var report = JsonDocument.Parse(stdout);
        var run = Assert.Single(report.RootElement.GetProperty("results").EnumerateArray());
        Assert.Equal("cpu", run.GetProperty("fault").GetString());
        Assert.StartsWith("urn:autopilot:service:sim:", run.GetProperty("root_urn").GetString(), StringComparison.Ordinal);

        // CPU saturation is the one fault today's engines flag on the root itself right away (process.cpu.utilization).
        Assert.True(run.GetProperty("root_flagged").GetBoolean(), stdout);
        Assert.True(run.TryGetProperty("incident", out _), stdout);
        Assert.Equal("explain", run.GetProperty("ranking_source").GetString());
        Assert.Equal(1, report.RootElement.GetProperty("total").GetProperty("runs").GetInt32());
        Assert.Contains("[1/1] seed 3 cpu on ", stderr, StringComparison.Ordinal);

        // --detail: the run's material for diagnosing it, from the same server: the scored incident is there with its explain answer.
        try
        {
            using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(detail, "run-001-seed-3.json")));
            var d = file.RootElement;
            Assert.Equal(run.GetProperty("root_urn").GetString(), d.GetProperty("root_urn").GetString());
            Assert.Equal(d.GetProperty("root_urn").GetString(), d.GetProperty("affected_urns")[0].GetString());
            var incident = run.GetProperty("incident").GetString();
            Assert.Equal(incident, d.GetProperty("incident").GetString());
            Assert.Contains(d.GetProperty("incidents").GetProperty("incidents").EnumerateArray(), i => i.GetProperty("id").GetString() == incident);
            Assert.NotEmpty(d.GetProperty("findings").GetProperty("findings").EnumerateArray());
            Assert.Equal(incident, d.GetProperty("explain").GetProperty("incidentId").GetString());
            Assert.Equal(
                run.GetProperty("ranked_roots").EnumerateArray().Select(r => r.GetString()),
                d.GetProperty("explain").GetProperty("rootCauses").EnumerateArray().Select(c => c.GetProperty("urn").GetString()));
        }
        finally
        {
            Directory.Delete(detail, recursive: true);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand { BenchCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = root.Parse(args);
        Assert.Empty(parse.Errors);
        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }
}
