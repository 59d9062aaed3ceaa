using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autopilot.Agents.Scout;

/// <summary>
/// JSON form of the <see cref="DiffPlan"/>: snake_case property names and enum values (<c>overall_confidence</c>,
/// <c>missing_otel</c>, <c>spring_boot</c>), nulls written, indented. The same options read it back; an unknown
/// property is ignored, an unknown enum value or a missing required property is an error.
/// </summary>
public static class DiffPlanJson
{
    /// <summary>The options used both ways; shared so every reader and writer agrees.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    public static string Serialize(DiffPlan plan) => JsonSerializer.Serialize(plan, Options);

    /// <summary>Reads a plan; throws <see cref="JsonException"/> naming the problem when the text is not a plan.</summary>
    public static DiffPlan Deserialize(string json)
    {
        var plan = JsonSerializer.Deserialize<DiffPlan>(json, Options) ?? throw new JsonException("the plan is JSON null.");
        if (plan.SchemaVersion is null || !plan.SchemaVersion.StartsWith("1.", StringComparison.Ordinal))
        {
            throw new JsonException($"schema_version '{plan.SchemaVersion}' is not supported; this reader knows 1.x.");
        }

        return plan;
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            WriteIndented = true,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,

            // Evidence quotes code: <artifactId>, "topic", a + b stay readable instead of \u003C escapes. The plan is a file
            // for tools and people, never embedded in HTML.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver();
        options.MakeReadOnly();
        return options;
    }
}
