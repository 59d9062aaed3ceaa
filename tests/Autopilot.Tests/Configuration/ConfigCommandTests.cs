using System.Diagnostics;
using System.Text.Json;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Configuration;

/// <summary>The real <c>autopilot</c> executable: <c>config check</c>, <c>config keys</c>, and <c>serve</c> refusing a bad configuration.</summary>
public sealed class ConfigCommandTests
{
    [Fact]
    public async Task ConfigCheck_ValidFile_Exits0_AndPrintsTheEffectiveConfigurationWithSecretsMasked()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "autopilot.yaml");
        await File.WriteAllTextAsync(file, "engines:\n  shards: 3\nauth:\n  tokens:\n    - { token: file-secret-1, role: admin }\n");

        var (code, stdout, stderr) = await RunAsync($"config check {file}", new Dictionary<string, string?> { ["AUTOPILOT_HTTP_PORT"] = "5999", ["AUTOPILOT_READ_TOKENS"] = "env-secret-2" });

        Assert.Equal(0, code);
        Assert.Equal($"autopilot config check: {file} is valid\n", stderr);
        Assert.StartsWith($"# effective configuration: {file}, then AUTOPILOT_ variables; secrets masked\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\nhttpPort: 5999\n", stdout, StringComparison.Ordinal);
        Assert.Contains("\n  shards: 3\n", stdout, StringComparison.Ordinal);
        Assert.Contains("role: read", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("file-secret-1", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("env-secret-2", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigPrint_ShowsOnlySettings_EveryOneAKeyThatConfigKeysLists()
    {
        // What print shows is what a file can set: an option object's helper (a loaded catalog, a cache) must not show.
        var (printed, stdout, stderr) = await RunAsync("config print --output json", new Dictionary<string, string?>());
        var (listed, keysOut, _) = await RunAsync("config keys --output json", new Dictionary<string, string?>());
        Assert.True(printed == 0 && listed == 0, stderr);
        using var keysJson = JsonDocument.Parse(keysOut);
        var keys = keysJson.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("key").GetString()!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        using var print = JsonDocument.Parse(stdout);
        var unknown = new List<string>();

        void Walk(JsonElement element, string path)
        {
            if (path.Length > 0 && keys.Contains(path))
            {
                return; // a key (its value may be a list or a map)
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                unknown.Add(path);
                return;
            }

            foreach (var property in element.EnumerateObject())
            {
                var child = path.Length == 0 ? property.Name : path + "." + property.Name;
                if (keys.Contains(child) || keys.Any(k => k.StartsWith(child + ".", StringComparison.OrdinalIgnoreCase)))
                {
                    Walk(property.Value, child);
                }
                else
                {
                    unknown.Add(child);
                }
            }
        }

        Walk(print.RootElement, string.Empty);

        Assert.Empty(unknown);
        Assert.Contains("engines.contract.directory", keys);
    }

    [Fact]
    public async Task ConfigCheck_InvalidFile_Exits2_WithOneLinePerProblem()
    {
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "bad.yaml");
        await File.WriteAllTextAsync(file, "ingest:\n  maxRequestBytes: -1\n  queueCapacty: 5\nlogging:\n  format: xml\n");

        var (code, stdout, stderr) = await RunAsync($"config check {file}");

        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Equal(
            [
                "autopilot config check: ingest.queueCapacty: unknown key; did you mean 'ingest.queueCapacity'? (bad.yaml line 3)",
                "autopilot config check: logging.format: 'xml' is not one of auto, json, text (bad.yaml line 5)",
                "autopilot config check: ingest.maxRequestBytes: must be at least 1024, got -1 (bad.yaml line 2)",
            ],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ConfigCheck_ExampleFile_IsValid_AndJsonOutputParses()
    {
        var example = Path.Combine(ConfigLoaderTests.RepoRoot(), "autopilot.example.yaml");

        var (code, stdout, stderr) = await RunAsync($"config check {example} --output json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(4, json.RootElement.GetProperty("engines").GetProperty("shards").GetInt32());
        Assert.Equal("[CUSTOMER]", json.RootElement.GetProperty("redaction").GetProperty("rules")[0].GetProperty("replacement").GetString());
    }

    [Fact]
    public async Task ConfigKeys_Markdown_ListsKeysWithVariables()
    {
        var (code, stdout, _) = await RunAsync("config keys --output markdown");

        Assert.Equal(0, code);
        Assert.Contains("| `ingest.maxRequestBytes` | a size in bytes such as 1048576, 64MiB or 1GiB | `16MiB` | `AUTOPILOT_INGEST__MAX_REQUEST_BYTES` |", stdout, StringComparison.Ordinal);
        Assert.Contains("| `tls.certFile` |", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_DefaultFileInTheWorkingDirectory_IsRead_AndABadOneStopsItWithExit2()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(Path.Combine(dir.Path, "autopilot.yaml"), "grpcPort: 4999\nhttpPort: 4999\nengnes:\n  shards: 2\n");

        var (code, _, stderr) = await RunAsync("serve", workingDirectory: dir.Path);

        Assert.Equal(2, code);
        Assert.Equal(
            [
                "autopilot serve: engnes: unknown key; did you mean 'engines'? (autopilot.yaml line 3)",
                "autopilot serve: grpcPort and httpPort must differ, both are 4999 (autopilot.yaml line 1)",
            ],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Serve_NamedConfigFileMissing_Exits2()
    {
        var (code, _, stderr) = await RunAsync("serve --config /nonexistent/autopilot.yaml");

        Assert.Equal(2, code);
        Assert.Equal("autopilot serve: the configuration file '/nonexistent/autopilot.yaml' does not exist (named by --config)\n", stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string arguments, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var process = AutopilotProcess.Start(arguments, captureOutput: true, environment, workingDirectory);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"autopilot {arguments} did not exit within 60 s");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
