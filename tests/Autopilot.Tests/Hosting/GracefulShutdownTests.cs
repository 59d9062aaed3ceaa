using System.Text;
using System.Text.Json;

namespace Autopilot.Host.Tests.Hosting;

/// <summary>SIGTERM drains the pipeline and checkpoints: the next start has nothing left to replay and has lost nothing.</summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Sigterm_DrainsAndCheckpoints_SoTheRestartReplaysNothing()
    {
        using var dataDir = new TempDirectory();
        const int requests = 20;
        const string urn = "urn:autopilot:service:default:graceful-test";

        var first = await RunAsync(dataDir.Path, async http =>
        {
            for (var i = 0; i < requests; i++)
            {
                const string json = """{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"graceful-test"}}]},"scopeLogs":[{"logRecords":[{"body":{"stringValue":"a"}},{"body":{"stringValue":"b"}}]}]}]}""";
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
            }
        });
        Assert.DoesNotContain(first, e => e.Message.Contains("did not drain", StringComparison.Ordinal));

        long logs = 0;
        var second = await RunAsync(dataDir.Path, async http =>
        {
            using var asset = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/assets/" + urn, UriKind.Relative)));
            logs = asset.RootElement.GetProperty("logs").GetInt64();
        });

        Assert.Equal(2 * requests, logs);
        var started = Assert.Single(second, e => e.Message.StartsWith("Ingest started", StringComparison.Ordinal));
        Assert.StartsWith("Ingest started: replaying 0 requests", started.Message, StringComparison.Ordinal);
    }

    /// <summary>Starts <c>autopilot serve</c>, runs <paramref name="work"/>, sends SIGTERM, expects exit 0 and returns its log lines.</summary>
    private static async Task<List<(string Level, string Message)>> RunAsync(string dataDir, Func<HttpClient, Task> work)
    {
        var (grpcPort, httpPort) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
        using var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir} --log-format json", captureOutput: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));
        await work(http);

        AutopilotProcess.SendSigterm(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "autopilot serve did not exit within 30 s of SIGTERM");
        Assert.Equal(0, process.ExitCode);
        Assert.Empty(await stderr);
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("LogLevel").GetString()!, e.GetProperty("Message").GetString()!))
            .ToList();
    }
}
