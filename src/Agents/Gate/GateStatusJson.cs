using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>The one JSON form of <see cref="GateStatus"/> (camelCase, enums as the schema's strings, dates as YYYY-MM-DD).</summary>
public static class GateStatusJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(GateStatus status) => JsonSerializer.Serialize(status, Options);

    /// <summary>Reads a status; throws <see cref="JsonException"/> naming the problem when it is not one.</summary>
    public static GateStatus Deserialize(string json) =>
        JsonSerializer.Deserialize<GateStatus>(json, Options) ?? throw new JsonException("the gate status is null");
}
