using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autopilot.Agents.Validate;

/// <summary>The one JSON form of <see cref="ValidationReport"/> (camelCase, enums as the schema's strings).</summary>
public static class ValidationReportJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(ValidationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report; throws <see cref="JsonException"/> naming the problem when it is not one.</summary>
    public static ValidationReport Deserialize(string json) =>
        JsonSerializer.Deserialize<ValidationReport>(json, Options) ?? throw new JsonException("the validation report is null");
}
