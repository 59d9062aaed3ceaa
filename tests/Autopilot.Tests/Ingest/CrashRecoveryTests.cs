using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>kill -9 a real <c>autopilot serve</c> while it ingests; every acknowledged item is counted after restart.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task KillDashNine_AtSeededMoments_LosesNoAcknowledgedItem()
    {
        using var dataDir = new TempDirectory();
        var random = new Random(20261122);
        const string urn = "urn:autopilot:service:default:crash-test";
        long acknowledged = 0;
        long sent = 0;

        for (var round = 0; round < 3; round++)
        {
            var (grpcPort, httpPort) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
            using var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path}");
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));

            var killAfter = random.Next(20, 120);
            long roundAcknowledged = 0;
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    const int records = 10;
                    Interlocked.Add(ref sent, records);
                    try
                    {
                        using var content = new StringContent(LogsRequest(records), Encoding.UTF8, "application/json");
                        using var response = await http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            Interlocked.Add(ref acknowledged, records);
                            if (Interlocked.Add(ref roundAcknowledged, records) / records >= killAfter)
                            {
                                await stop.CancelAsync();
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            })).ToArray();

            await stop.Token.WhenCanceled(TimeSpan.FromSeconds(60));
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await Task.WhenAll(senders);
        }

        await using var server = await TestServer.StartAsync(dataDirectory: dataDir.Path);
        using var response = await server.Http.GetAsync(new Uri("/api/assets/" + urn, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var logs = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("logs").GetInt64();
        Assert.True(logs >= acknowledged, $"{acknowledged} log records were acknowledged but only {logs} were counted after restart");
        Assert.True(logs <= Interlocked.Read(ref sent), $"counted {logs} log records but only {sent} were sent");
    }

    private static string LogsRequest(int records)
    {
        var sb = new StringBuilder("""{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"crash-test"}}]},"scopeLogs":[{"logRecords":[""");
        for (var i = 0; i < records; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append("""{"timeUnixNano":"1700000000000000000","severityNumber":9,"body":{"stringValue":"order accepted"}}""");
        }

        return sb.Append("]}]}]}").ToString();
    }
}

internal static class CancellationTokenExtensions
{
    public static async Task WhenCanceled(this CancellationToken token, TimeSpan timeout)
    {
        try
        {
            await Task.Delay(timeout, token);
        }
        catch (TaskCanceledException)
        {
        }
    }
}
