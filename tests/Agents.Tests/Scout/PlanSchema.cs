using NJsonSchema;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>The published draft-07 schema, loaded once with a real validator (NJsonSchema).</summary>
internal static class PlanSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromFileAsync(RepoRoot.Schema("diff-plan.schema.json")).GetAwaiter().GetResult());

    /// <summary>Validation errors as "path: kind" lines; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(string json) =>
        Schema.Value.Validate(json).Select(e => $"{e.Path}: {e.Kind} {e.Property}").ToList();
}
