using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.State;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Explain;
using Autopilot.Rca.Tests.Support;
using NJsonSchema;
using static Autopilot.Rca.Tests.Support.Scenario;

namespace Autopilot.Rca.Tests.Explain;

public sealed class RulesExplainerTests
{
    private static readonly string Api = Service("api");
    private static readonly string Web = Service("web");

    [Fact]
    public async Task Explain_SameInputs_SameAnswer()
    {
        static async Task<string> Once()
        {
            using var world = new Scenario();
            world.Calls(Web, Api);
            world.Change(Api, "config", -5, "pool=10", "pool=2");
            world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.4, 0, "", new Evidence("trace", "0af7651916cd43dd8448eb211c80319c"));
            world.Finding(Web, "anomaly.latency", FindingSeverity.Warning, 0.8, 1);
            return JsonSerializer.Serialize(await world.Analyzer().ExplainIncidentAsync(world.Incident()), EngineJson.Options);
        }

        var first = await Once();

        Assert.Equal(first, await Once());
        Assert.Contains("\"action\":\"rollback\"", first, StringComparison.Ordinal);
        Assert.Contains("open trace 0af7651916cd43dd8448eb211c80319c", first, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("memory", ActionType.Restart, "medium")]
    [InlineData("saturation", ActionType.ScaleOut, "low")]
    [InlineData("latency-under-load", ActionType.ScaleOut, "low")]
    [InlineData("flapping", ActionType.Ignore, "low")]
    [InlineData("plain", ActionType.Investigate, "low")]
    [InlineData("schema", ActionType.Rollback, "high")]
    public async Task Explain_ActionFollowsTheEvidence(string situation, ActionType expected, string risk)
    {
        using var world = new Scenario();
        world.Calls(Web, Api);
        switch (situation)
        {
            case "memory":
                world.Finding(Api, "anomaly.threshold", FindingSeverity.Critical, 1, 0, "memory.utilization > 90% for 120s", new Evidence("metric", "process.memory.usage", 0.97, 0.9));
                break;
            case "saturation":
                world.Finding(Api, "anomaly.metric", FindingSeverity.Critical, 0.95, 0, "system.cpu.utilization is anomalous", new Evidence("metric", "system.cpu.utilization", 0.99, 0.4));
                break;
            case "latency-under-load":
                world.Finding(Api, "anomaly.latency", FindingSeverity.Critical, 0.9, 0, "p99 of GET /orders regressed");
                world.Finding(Api, "volume.spike", FindingSeverity.Warning, 8, 0, "span volume tripled");
                break;
            case "flapping":
                world.Finding(Api, "anomaly.metric", FindingSeverity.Warning, 0.55, 0);
                world.Finding(Api, "anomaly.metric", FindingSeverity.Warning, 0.52, 7);
                world.Finding(Api, "anomaly.metric", FindingSeverity.Warning, 0.51, 14);
                break;
            case "schema":
                world.Finding(Api, "drift.schema", FindingSeverity.Warning, 2, 0);
                world.Change(Api, "schema", -1, "v7", "v8");
                break;
            default:
                world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.3, 0);
                break;
        }

        var answer = (await world.Analyzer().ExplainIncidentAsync(world.Incident()))!;

        Assert.Equal(Api, answer.RootCauses[0].Urn);
        Assert.Equal(expected, answer.Actions[0].Action);
        Assert.Equal(Api, answer.Actions[0].Target);
        Assert.Equal(risk, answer.Actions[0].Risk);
        Assert.False(string.IsNullOrWhiteSpace(answer.Actions[0].Rationale));
    }

    [Fact]
    public async Task Cache_ReusesAnAnalysisUntilTheIncidentChanges()
    {
        using var world = new Scenario();
        world.Calls(Web, Api);
        world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Incident();
        var analyzer = world.Analyzer();

        var first = (await analyzer.ExplainIncidentAsync("inc-test"))!;
        var second = (await analyzer.ExplainIncidentAsync("inc-test"))!;
        Assert.Equal(1, analyzer.CacheHits);
        Assert.Equal(first.RootCauses[0].Urn, second.RootCauses[0].Urn);

        // A new, earlier finding upstream changes the incident (its UpdatedUnixNano): the cached analysis is stale.
        world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.9, -1);
        world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 3);
        world.Incident();
        var third = (await analyzer.ExplainIncidentAsync("inc-test"))!;

        Assert.Equal(1, analyzer.CacheHits);
        Assert.Equal(Web, first.RootCauses[0].Urn);
        Assert.Equal(Api, third.RootCauses[0].Urn);
        Assert.Equal(1, analyzer.CachedAnalyses);
    }

    [Fact]
    public void Cache_IsBoundedAndEvictsTheLeastRecentlyUsed()
    {
        using var world = new Scenario();
        world.Options.CacheCapacity = 2;
        world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        foreach (var id in new[] { "inc-a", "inc-b", "inc-c" })
        {
            world.Incident(id);
        }

        var analyzer = world.Analyzer();
        analyzer.AnalyzeIncident("inc-a");
        analyzer.AnalyzeIncident("inc-b");
        analyzer.AnalyzeIncident("inc-a");
        analyzer.AnalyzeIncident("inc-c"); // evicts inc-b
        analyzer.AnalyzeIncident("inc-a");
        analyzer.AnalyzeIncident("inc-b");

        Assert.Equal(2, analyzer.CachedAnalyses);
        Assert.Equal(2, analyzer.CacheHits);
        Assert.Null(analyzer.AnalyzeIncident("inc-none"));
    }

    [Theory]
    [InlineData("valid", true)]
    [InlineData("no-root-causes", false)]
    [InlineData("extra-field", false)]
    [InlineData("bad-action", false)]
    [InlineData("bad-risk", false)]
    [InlineData("empty-summary", false)]
    public async Task Schema_PublishedFileAndValidatorAgree(string sample, bool valid)
    {
        var schemaPath = Path.Combine(Root(), "schemas", "rca-explanation.schema.json");
        var schema = await JsonSchema.FromFileAsync(schemaPath);
        Assert.Equal(PromptBuilder.Schema, await File.ReadAllTextAsync(schemaPath));

        using var world = new Scenario();
        world.Calls(Web, Api);
        world.Finding(Api, "dq.error_rate", FindingSeverity.Critical, 0.5, 0);
        world.Finding(Web, "dq.error_rate", FindingSeverity.Critical, 0.5, 1);
        var analysis = world.Analyzer().AnalyzeIncident(world.Incident())!;
        var node = System.Text.Json.Nodes.JsonNode.Parse(LlmExplainerTests.Answer(Api, Web, "ROLLBACK", Api))!.AsObject();
        switch (sample)
        {
            case "no-root-causes": node.Remove("root_causes"); break;
            case "extra-field": node["extra"] = 1; break;
            case "bad-action": node["actions"]![0]!["action"] = "rollback"; break;
            case "bad-risk": node["actions"]![0]!["risk"] = "none"; break;
            case "empty-summary": node["summary"] = string.Empty; break;
        }

        var text = node.ToJsonString();
        var schemaErrors = schema.Validate(text);
        var ours = LlmAnswerValidator.TryParse(text, analysis, out _, out var error);

        Assert.True(valid == (schemaErrors.Count == 0), string.Join("; ", schemaErrors.Select(e => e.ToString())));
        Assert.True(valid == ours, error);
    }

    private static string Root()
    {
        var dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Autopilot.sln")))
        {
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("Autopilot.sln not found above " + AppContext.BaseDirectory);
        }

        return dir;
    }
}
