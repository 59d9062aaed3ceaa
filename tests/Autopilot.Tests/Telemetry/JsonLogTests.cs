using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Telemetry;

/// <summary>The real <c>autopilot serve</c> with its output piped: JSON lines, request-scoped ones carrying the trace id, no token anywhere.</summary>
public sealed class JsonLogTests
{
    [Fact]
    public async Task Serve_OutputPiped_WritesJsonLinesWithTraceIds_AndNeverATokens()
    {
        var (grpcPort, httpPort) = (ServeProcessTests.FreePort(), ServeProcessTests.FreePort());
        using var dataDir = new TempDirectory();
        const string token = "tok-9f8e7d6c5b4a";
        const string wrong = "wrong-1a2b3c4d5e";
        using var process = AutopilotProcess.Start($"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dataDir.Path} --log-level debug --auth-token {token}", captureOutput: true);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        await AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));

        var traceId = ActivityTraceIdHex();
        await PostAsync(http, "{not json", token, traceId);       // invalid: logged at debug inside the request
        await PostAsync(http, "{}", wrong, ActivityTraceIdHex());  // refused: wrong token, logged without it
        await PostAsync(http, "{}", token, ActivityTraceIdHex());  // accepted

        AutopilotProcess.SendSigterm(process);
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "autopilot serve did not exit within 30 s of SIGTERM");
        Assert.Equal(0, process.ExitCode);
        var output = await stdout;
        Assert.Empty(await stderr);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // every line is one JSON object
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Autopilot listening on 127.0.0.1", StringComparison.Ordinal));

        var invalid = Assert.Single(entries, e => e.GetProperty("Message").GetString()!.StartsWith("Refused a logs request over http as invalid", StringComparison.Ordinal));
        Assert.Equal("Debug", invalid.GetProperty("LogLevel").GetString());
        var scopes = invalid.GetProperty("Scopes").EnumerateArray().ToList();
        Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && t.GetString() == traceId);
        Assert.Contains(scopes, s => s.TryGetProperty("RequestId", out var r) && r.GetString()!.Length > 0);

        Assert.Contains(entries, e => e.GetProperty("Message").GetString() == "Refused POST /v1/logs: missing or invalid bearer token");
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, output, StringComparison.Ordinal);
    }

    private static async Task PostAsync(HttpClient http, string body, string token, string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/logs", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");
        using var response = await http.SendAsync(request);
        _ = await response.Content.ReadAsStringAsync();
    }

    private static string ActivityTraceIdHex() => System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
}
