using System.Text.Json;
using System.Text.Json.Nodes;
using Autopilot.Engines.Findings;
using Autopilot.Engines.State;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Explain;
using Autopilot.Rca.Tests.Support;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Explain;

/// <summary>
/// The LLM path up to its edge: the real explainer and chat clients against a loopback server speaking the
/// OpenAI chat-completions and Anthropic messages protocols. No model runs here.
/// </summary>
public sealed class LlmExplainerTests
{
    private static readonly string Checkout = Service("checkout");
    private static readonly string Payments = Service("payments");
    private static readonly string Frontend = Service("frontend");

    [Fact]
    public async Task OpenAiCompatible_ValidAnswer_IsUsed_WithTheRankersScoresAndTheExactPrompt()
    {
        await using var server = await ChatServer.StartAsync();
        using var world = World();
        var analyzer = OpenAi(world, server);
        var rules = (await analyzer.ExplainIncidentAsync("inc-test", RcaExplainerChoice.Rules))!;
        server.Next = ChatServer.Reply.Text(Answer(Payments, Checkout, "ROLLBACK", Checkout));

        var answer = (await analyzer.ExplainIncidentAsync("inc-test"))!;

        Assert.Equal("llm:openai/test-model", answer.Explainer);
        Assert.Null(answer.ExplainerFallback);
        Assert.Equal([Payments, Checkout], answer.RootCauses.Select(c => c.Urn));
        Assert.Equal(rules.RootCauses.Single(c => c.Urn == Payments).Score, answer.RootCauses[0].Score);
        Assert.Equal(["the model says so"], answer.RootCauses[0].Reasons);
        Assert.Equal(new RecommendedAction(ActionType.Rollback, Checkout, "deploy right before", "medium"), Assert.Single(answer.Actions));
        Assert.Equal("Checkout is failing; we are rolling back.", answer.StakeholderUpdate);
        Assert.Equal(rules.Timeline, answer.Timeline);
        Assert.Equal(rules.BlastRadius, answer.BlastRadius);

        var (path, body, _) = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", path);
        Assert.Equal("test-model", body.GetProperty("model").GetString());
        Assert.Equal("json_schema", body.GetProperty("response_format").GetProperty("type").GetString());
        var prompt = analyzer.IncidentPrompt("inc-test")!;
        Assert.Equal(prompt.System, body.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal(prompt.User, body.GetProperty("messages")[1].GetProperty("content").GetString());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Theory]
    [InlineData("I think the payments service is broken.", "is not JSON")]
    [InlineData("[1, 2]", "is a JSON array, not an object")]
    [InlineData("{\"summary\": \"x\"}", "$.root_causes is missing")]
    [InlineData("ghost-urn", "$.root_causes[0].urn 'urn:autopilot:service:prod:ghost' is not one of the candidates")]
    [InlineData("bad-action", "$.actions[0].action 'REBOOT' is not one of RESTART, SCALE_OUT, ROLLBACK, IGNORE, INVESTIGATE")]
    [InlineData("extra-field", "$.confidence_overall is not allowed")]
    [InlineData("bad-target", "$.actions[0].target 'urn:autopilot:service:prod:elsewhere' is not a URN of the context")]
    public async Task OpenAiCompatible_InvalidAnswer_RulesAnswerAndSayWhy(string reply, string problem)
    {
        await using var server = await ChatServer.StartAsync();
        using var world = World();
        var analyzer = OpenAi(world, server);
        server.Next = ChatServer.Reply.Text(reply switch
        {
            "ghost-urn" => Answer(Service("ghost"), Checkout, "ROLLBACK", Checkout),
            "bad-action" => Answer(Payments, Checkout, "REBOOT", Checkout),
            "bad-target" => Answer(Payments, Checkout, "RESTART", Service("elsewhere")),
            "extra-field" => JsonNode.Parse(Answer(Payments, Checkout, "ROLLBACK", Checkout))!.AsObject().Also(o => o["confidence_overall"] = 0.9).ToJsonString(),
            _ => reply,
        });

        var answer = (await analyzer.ExplainIncidentAsync("inc-test"))!;
        var rules = (await analyzer.ExplainIncidentAsync("inc-test", RcaExplainerChoice.Rules))!;

        Assert.Equal("rules", answer.Explainer);
        Assert.StartsWith("llm:openai/test-model answered outside the schema: ", answer.ExplainerFallback, StringComparison.Ordinal);
        Assert.Contains(problem, answer.ExplainerFallback, StringComparison.Ordinal);
        Assert.Equal(JsonSerializer.Serialize(rules with { ExplainerFallback = answer.ExplainerFallback }, EngineJson.Options), JsonSerializer.Serialize(answer, EngineJson.Options));
    }

    [Fact]
    public async Task OpenAiCompatible_AnswerInACodeFence_IsAccepted()
    {
        await using var server = await ChatServer.StartAsync();
        using var world = World();
        server.Next = ChatServer.Reply.Text("```json\n" + Answer(Checkout, Payments, "INVESTIGATE", Checkout) + "\n```");

        var answer = (await OpenAi(world, server).ExplainIncidentAsync("inc-test"))!;

        Assert.Equal("llm:openai/test-model", answer.Explainer);
        Assert.Equal(ActionType.Investigate, answer.Actions[0].Action);
    }

    [Fact]
    public async Task OpenAiCompatible_NoAnswerWithinTheTimeout_RulesAnswer()
    {
        await using var server = await ChatServer.StartAsync();
        using var world = World();
        world.Options.Llm.Timeout = TimeSpan.FromSeconds(1);
        server.Next = ChatServer.Reply.Never();

        var answer = (await OpenAi(world, server).ExplainIncidentAsync("inc-test"))!;

        Assert.Equal("rules", answer.Explainer);
        Assert.Equal("llm:openai/test-model did not answer within 1 s", answer.ExplainerFallback);
        Assert.Equal(Checkout, answer.RootCauses[0].Urn);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OpenAiCompatible_ServerError_RulesAnswerQuotingIt()
    {
        await using var server = await ChatServer.StartAsync();
        using var world = World();
        server.Next = ChatServer.Reply.Error(503, "{\"error\":{\"message\":\"model is loading\"}}");

        var answer = (await OpenAi(world, server).ExplainIncidentAsync("inc-test"))!;

        Assert.Equal("rules", answer.Explainer);
        Assert.Contains("failed: HttpRequestException", answer.ExplainerFallback, StringComparison.Ordinal);
        Assert.Contains("503", answer.ExplainerFallback, StringComparison.Ordinal);
        Assert.Contains("model is loading", answer.ExplainerFallback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anthropic_TheOfficialSdkAdapter_AgainstAMessagesApiPeer()
    {
        await using var server = await ChatServer.StartAsync();
        using var world = World();
        world.Options.Llm.Provider = LlmProvider.Anthropic;
        world.Options.Llm.ApiKey = "sk-ant-test";
        world.Options.Llm.Model = "claude-test";
        world.Options.Llm.BaseUrl = server.BaseUrl;
        server.Next = ChatServer.Reply.Text(Answer(Checkout, Payments, "ROLLBACK", Checkout));

        var answer = (await world.Analyzer().ExplainIncidentAsync("inc-test"))!;

        Assert.True(answer.Explainer == "llm:anthropic/claude-test", $"{answer.Explainer}: {answer.ExplainerFallback}");
        Assert.Equal(Checkout, answer.RootCauses[0].Urn);
        var (path, body, headers) = Assert.Single(server.Requests);
        Assert.Equal("/v1/messages", path);
        // This SDK version sends the API key as a bearer token (documented on ClientOptions.ApiKey).
        Assert.True(headers.TryGetValue("authorization", out var key) && key == "Bearer sk-ant-test", string.Join("; ", headers.Keys));
        Assert.True(headers.ContainsKey("anthropic-version"));
        Assert.Equal("claude-test", body.GetProperty("model").GetString());
        Assert.Contains("valid against this JSON Schema", body.GetProperty("system").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_LargeIncident_StaysWithinTheLimitAndSaysWhatWasCut()
    {
        using var world = new Scenario();
        world.Calls(Checkout, Payments);
        for (var i = 0; i < 300; i++)
        {
            world.Finding(i % 2 == 0 ? Checkout : Payments, "log.new_template", FindingSeverity.Warning, 0.5, i * 0.1,
                "new log template: " + new string('x', 400), new Evidence("log_template", "ERROR <*> failed " + new string('y', 500)));
        }

        world.Incident();
        world.Options.Llm.MaxPromptChars = 9_000;
        world.Options.MaxTimeline = 1_000;

        var prompt = world.Analyzer().IncidentPrompt("inc-test")!;

        Assert.InRange(prompt.Characters, 1, 9_000);
        Assert.Equal(prompt.System.Length + prompt.User.Length, prompt.Characters);
        Assert.Contains(prompt.Truncated, t => t.StartsWith("timeline: ", StringComparison.Ordinal) && t.EndsWith("of 300 entries shown (the earliest and the latest)", StringComparison.Ordinal));
        Assert.Contains("\"truncated\":", prompt.User, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('y', 400), prompt.User, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Llm_NotConfigured_AskingForItIsRefused()
    {
        using var world = World();
        var analyzer = world.Analyzer();

        Assert.False(analyzer.LlmConfigured);
        await Assert.ThrowsAsync<InvalidOperationException>(() => analyzer.ExplainIncidentAsync("inc-test", RcaExplainerChoice.Llm));
        Assert.Equal("rules", (await analyzer.ExplainIncidentAsync("inc-test"))!.Explainer);
    }

    /// <summary>checkout (deployed 2 min before) calls payments; both fail.</summary>
    private static Scenario World()
    {
        var world = new Scenario();
        world.Calls(Frontend, Checkout).Calls(Checkout, Payments);
        world.Change(Checkout, "deploy", -2);
        world.Finding(Checkout, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Finding(Payments, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Finding(Frontend, "dq.error_rate", FindingSeverity.Warning, 0.1, 1);
        world.Incident();
        return world;
    }

    private static RcaAnalyzer OpenAi(Scenario world, ChatServer server)
    {
        world.Options.Llm.Provider = LlmProvider.OpenAi;
        world.Options.Llm.BaseUrl = server.BaseUrl;
        world.Options.Llm.Model = "test-model";
        return world.Analyzer();
    }

    internal static string Answer(string first, string second, string action, string target) => new JsonObject
    {
        ["summary"] = "The model's summary.",
        ["root_causes"] = new JsonArray(
            new JsonObject { ["urn"] = first, ["reasons"] = new JsonArray("the model says so") },
            new JsonObject { ["urn"] = second, ["reasons"] = new JsonArray("also possible") }),
        ["actions"] = new JsonArray(new JsonObject { ["action"] = action, ["target"] = target, ["rationale"] = "deploy right before", ["risk"] = "medium" }),
        ["next_checks"] = new JsonArray("look at the deploy"),
        ["stakeholder_update"] = "Checkout is failing; we are rolling back.",
    }.ToJsonString();
}
