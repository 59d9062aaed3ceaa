using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Commands.OnCall;
using Autopilot.Host.Commands.Rca;
using Autopilot.Host.Tests.Commands;
using Autopilot.Host.Tests.Hosting;
using static Autopilot.Host.Tests.Rca.RcaServerFixture;

namespace Autopilot.Host.Tests.Rca;

/// <summary>The explain API and <c>autopilot rca</c> on a real server, over an incident the real engines made from spans.</summary>
public sealed class RcaEndToEndTests(RcaServerFixture fixture) : IClassFixture<RcaServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task ExplainIncident_NamesTheDeployedUpstreamServiceAndRollsItBack()
    {
        using var response = await Http.GetAsync(new Uri($"/api/incidents/{fixture.IncidentId}/explain", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.Equal(fixture.IncidentId, root.GetProperty("incidentId").GetString());
        var top = root.GetProperty("rootCauses")[0];
        Assert.Equal(Payments, top.GetProperty("urn").GetString());
        Assert.InRange(top.GetProperty("score").GetDouble(), 0.3, 0.95);
        Assert.Contains(top.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("deploy change 2.5 min before", StringComparison.Ordinal));
        Assert.Contains(top.GetProperty("evidence").EnumerateArray(), e => e.GetProperty("type").GetString() == "trace");
        var action = root.GetProperty("actions")[0];
        Assert.Equal("rollback", action.GetProperty("action").GetString());
        Assert.Equal(Payments, action.GetProperty("target").GetString());
        Assert.Equal([Checkout], root.GetProperty("blastRadius").EnumerateArray().Select(u => u.GetString()));
        var kinds = root.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("kind").GetString()).ToList();
        Assert.Equal("change.deploy", kinds[0]);
        Assert.Equal(2, kinds.Count(k => k == "dq.error_rate"));
        Assert.Equal("rules", root.GetProperty("explainer").GetString());
        Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("stakeholderUpdate").GetString()));
    }

    [Fact]
    public async Task AnalyzeWindow_AroundTheCaller_FindsTheSameRoot()
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds((fixture.T0 / 1_000_000) - 600_000).ToString("O");
        var to = (fixture.T0 / 1_000_000) + 600_000;
        using var content = new StringContent($"{{\"from\":\"{from}\",\"to\":{to},\"urn\":\"{Checkout}\"}}", Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri("/api/rca/analyze", UriKind.Relative), content);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Null, doc.RootElement.TryGetProperty("incidentId", out var id) ? id.ValueKind : JsonValueKind.Null);
        Assert.Equal(Payments, doc.RootElement.GetProperty("rootCauses")[0].GetProperty("urn").GetString());
        Assert.Contains("around " + Checkout, doc.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"to\": 1700000000000}", "from: required")]
    [InlineData("{\"from\": \"yesterday\", \"to\": 1700000000000}", "from: \"yesterday\" is neither an RFC 3339 time")]
    [InlineData("{\"from\": 1700000600000, \"to\": 1700000000000}", "to: is before from")]
    [InlineData("{\"from\": 99999999999999, \"to\": 1700000000000}", "from: 99999999999999 is out of range for Unix milliseconds")]
    [InlineData("{\"from\": 1700000000000, \"to\": \"9999-01-01T00:00:00Z\"}", "to: \"9999-01-01T00:00:00Z\" is outside 1970-01-01 to 2262-04-11")]
    [InlineData("{\"from\": 1700000000000.5, \"to\": 1700000600000}", "from: 1700000000000.5 is not a whole number of Unix milliseconds")]
    [InlineData("{\"from\": true, \"to\": 1700000600000}", "from: true is neither an RFC 3339 time")]
    [InlineData("{\"from\": 1700000000000, \"to\": 1800000000000}", "longer than the 7-day limit")]
    [InlineData("{\"from\": 1700000000000, \"to\": 1700000600000, \"urn\": \"checkout\"}", "urn: 'checkout' is not an Autopilot URN")]
    [InlineData("{\"from\": 1700000000000, \"to\": 1700000600000, \"window\": 5}", "window: unknown field")]
    [InlineData("[1]", "the body must be a JSON object")]
    [InlineData("{\"from\": ", "the body is not JSON")]
    public async Task AnalyzeWindow_BadBody_Is400NamingTheField(string json, string message)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(new Uri("/api/rca/analyze", UriKind.Relative), content);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(400, doc.RootElement.GetProperty("code").GetInt32());
        Assert.Contains(message, doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/incidents/inc-nope/explain", HttpStatusCode.NotFound, "no incident 'inc-nope'")]
    [InlineData("/api/incidents/{id}/explain?explainer=llm", HttpStatusCode.BadRequest, "explainer=llm: no LLM is configured")]
    [InlineData("/api/incidents/{id}/explain?explainer=magic", HttpStatusCode.BadRequest, "explainer 'magic' is not one of auto, rules, llm")]
    [InlineData("/api/incidents/{id}/explain?prompt=maybe", HttpStatusCode.BadRequest, "prompt 'maybe' is not true or false")]
    public async Task ExplainIncident_BadRequest_SaysWhy(string path, HttpStatusCode status, string message)
    {
        using var response = await Http.GetAsync(new Uri(path.Replace("{id}", fixture.IncidentId, StringComparison.Ordinal), UriKind.Relative));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(message, doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_Rca_PrintsTheAnswer_AsTextJsonOrPrompt()
    {
        var server = fixture.Server.HttpEndpoint.ToString();

        var (code, text, err) = await RunAsync("rca", fixture.IncidentId, "--server", server);
        Assert.True(code == 0, err);
        Assert.Contains($"Incident {fixture.IncidentId} (critical)", text, StringComparison.Ordinal);
        Assert.Contains($"  1. {Payments}  confidence ", text, StringComparison.Ordinal);
        Assert.Contains($"  ROLLBACK {Payments} (risk medium)", text, StringComparison.Ordinal);
        Assert.Contains("Stakeholder update (draft):", text, StringComparison.Ordinal);

        var (jsonCode, json, _) = await RunAsync("rca", fixture.IncidentId, "--server", server, "--output", "json", "--explainer", "rules");
        Assert.Equal(0, jsonCode);
        using var answer = JsonDocument.Parse(json);
        Assert.Equal(Payments, answer.RootElement.GetProperty("rootCauses")[0].GetProperty("urn").GetString());

        var (promptCode, prompt, _) = await RunAsync("rca", fixture.IncidentId, "--server", server, "--print-prompt");
        Assert.Equal(0, promptCode);
        Assert.Contains("nothing was sent", prompt, StringComparison.Ordinal);
        Assert.Contains("--- system ---", prompt, StringComparison.Ordinal);
        Assert.Contains($"\"urn\":\"{Payments}\"", prompt, StringComparison.Ordinal);

        var from = (fixture.T0 / 1_000_000) - 600_000;
        var (windowCode, window, windowErr) = await RunAsync("rca", "--from", from.ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", (from + 1_200_000).ToString(System.Globalization.CultureInfo.InvariantCulture), "--urn", Checkout, "--server", server, "--output", "json");
        Assert.True(windowCode == 0, windowErr);
        Assert.Equal(Payments, JsonDocument.Parse(window).RootElement.GetProperty("rootCauses")[0].GetProperty("urn").GetString());
    }

    [Fact]
    public async Task Cli_Rca_ExitCodes()
    {
        var server = fixture.Server.HttpEndpoint.ToString();

        var (missing, _, missingErr) = await RunAsync("rca", "inc-nope", "--server", server);
        Assert.Equal(RcaCommand.NotFound, missing);
        Assert.Equal($"autopilot rca: no incident 'inc-nope' on {server}", missingErr.Trim());

        var (nothing, _, nothingErr) = await RunAsync("rca", "--server", server);
        Assert.Equal(ExitCodes.Usage, nothing);
        Assert.Contains("give an incident id", nothingErr, StringComparison.Ordinal);

        var (late, _, lateErr) = await RunAsync("rca", "--from", "99999999999999", "--to", "2026-01-01T00:00:00Z", "--server", server);
        Assert.Equal(ExitCodes.Usage, late);
        Assert.Contains("--from '99999999999999' is out of range for Unix milliseconds", lateErr, StringComparison.Ordinal);

        var (empty, _, emptyErr) = await RunAsync("rca", "--from", "", "--to", "2026-01-01T00:00:00Z", "--server", server);
        Assert.Equal(ExitCodes.Usage, empty);
        Assert.Contains("--from is empty", emptyErr, StringComparison.Ordinal);

        var (both, _, bothErr) = await RunAsync("rca", "inc-x", "--from", "2026-01-01T00:00:00Z", "--urn", "nope");
        Assert.Equal(ExitCodes.Usage, both);
        Assert.Equal(3, bothErr.Trim().Split('\n').Length); // id and window; --urn with an id; a bad URN

        var (llm, _, llmErr) = await RunAsync("rca", fixture.IncidentId, "--server", server, "--explainer", "llm");
        Assert.Equal(ExitCodes.Usage, llm);
        Assert.Contains("no LLM is configured", llmErr, StringComparison.Ordinal);

        var port = ServeProcessTests.FreePort();
        var (down, _, downErr) = await RunAsync("rca", "inc-x", "--server", $"http://127.0.0.1:{port}");
        Assert.Equal(ExitCodes.Unavailable, down);
        Assert.Contains($"cannot reach Autopilot at http://127.0.0.1:{port}/", downErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Cli_Rca_RealExecutable_AnswersAndRefusesBadOptions()
    {
        using var ok = AutopilotProcess.Start($"rca {fixture.IncidentId} --server {fixture.Server.HttpEndpoint} --output json", captureOutput: true);
        var stdout = ok.StandardOutput.ReadToEnd();
        Assert.True(ok.WaitForExit(TimeSpan.FromSeconds(60)), "autopilot rca did not finish within 60 s");
        Assert.True(ok.ExitCode == 0, ok.StandardError.ReadToEnd());
        Assert.Equal(Payments, JsonDocument.Parse(stdout).RootElement.GetProperty("rootCauses")[0].GetProperty("urn").GetString());

        using var bad = AutopilotProcess.Start("rca inc-x --output yaml", captureOutput: true);
        Assert.True(bad.WaitForExit(TimeSpan.FromSeconds(60)), "autopilot rca did not finish within 60 s");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("yaml", bad.StandardError.ReadToEnd(), StringComparison.Ordinal);
    }

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CommandRun.RunAsync([RcaCommand.Create()], args);
}
