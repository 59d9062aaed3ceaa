using Autopilot.Agents.Gate;
using Autopilot.Agents.Tests.Gate.TestSupport;
using NJsonSchema;

namespace Autopilot.Agents.Tests.Gate;

/// <summary>The status the gate writes validates against the published schemas/gate-status.schema.json (NJsonSchema).</summary>
public sealed class GateStatusSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFileAsync(RepoPaths.Schema("gate-status.schema.json")).GetAwaiter().GetResult());

    [Fact]
    public async Task Serialize_RealStatusWithFailuresWaiversAndNextSteps_ValidatesAgainstPublishedSchema()
    {
        var status = await RichStatusAsync();
        var json = GateStatusJson.Serialize(status);

        var errors = Schema.Value.Validate(json);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")) + "\n" + json);
        Assert.Contains("\"would_fail\"", json, StringComparison.Ordinal);
        Assert.Contains("\"waiver_expiry\"", json, StringComparison.Ordinal);
        Assert.Contains("\"soft-fail\"", json, StringComparison.Ordinal);
        Assert.Contains("\"expires\": \"2026-05-01\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deserialize_SerializedStatus_RoundTrips()
    {
        var status = await RichStatusAsync();

        var back = GateStatusJson.Deserialize(GateStatusJson.Serialize(status));

        Assert.Equal(status.Status, back.Status);
        Assert.Equal(status.Targets.Count, back.Targets.Count);
        Assert.Equal(status.Targets.SelectMany(t => t.Checks).Select(c => (c.Check, c.Outcome, c.Mode)), back.Targets.SelectMany(t => t.Checks).Select(c => (c.Check, c.Outcome, c.Mode)));
        Assert.Equal(status.Next.Select(n => n.From), back.Next.Select(n => n.From));
    }

    [Theory]
    [InlineData("\"would_fail\"", "\"maybe\"")]
    [InlineData("\"soft-fail\"", "\"soft\"")]
    [InlineData("\"schemaVersion\": \"1\"", "\"schemaVersion\": \"2\"")]
    public async Task Schema_StatusWithUnknownValues_IsRejected(string from, string to)
    {
        var json = GateStatusJson.Serialize(await RichStatusAsync());
        Assert.Contains(from, json, StringComparison.Ordinal);

        Assert.NotEmpty(Schema.Value.Validate(json.Replace(from, to, StringComparison.Ordinal)));
    }

    /// <summary>A status with a failed schema check, a soft-fail runbook, a waived lineage spec and a rollout ahead.</summary>
    internal static async Task<GateStatus> RichStatusAsync()
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService().Delete("services/orders/RUNBOOK.md").Delete("services/orders/openlineage.yml")
            .Write("schemas/order.avsc", Repos.OrderAvsc)
            .Write("gates.yaml", GateRunnerTests.Policy(
                "runbook: { mode: hard-fail, rollout: { soft_fail_until: 2026-06-01 } }\n      lineage-spec: hard-fail\n      schema-compat: hard-fail\n      otel-sdk: warn",
                "waivers:\n  - { check: lineage-spec, scope: \"services/**\", owner: data-team, expires: 2026-05-01, reason: \"spec in review\" }\n  - { check: runbook, scope: gone, owner: x, expires: 2026-01-01 }\n"))
            .Commit("base");
        repo.Write("schemas/order.avsc", Repos.OrderAvscCustomerAdded);
        return await GateRunner.RunAsync(new GateOptions { RepoPath = repo.Path, BaseRef = "main", PolicyPath = repo.File("gates.yaml"), Now = new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero) }, CancellationToken.None);
    }
}
