using System.Text.Json;

namespace Autopilot.Agents.Gate;

/// <summary>The one JSON form of <see cref="GateStatus"/> (camelCase, enums as the schema's strings, dates as YYYY-MM-DD).</summary>
public static class GateStatusJson
{
    public static JsonSerializerOptions Options => GateStatusJsonContext.Default.Options;

    public static string Serialize(GateStatus status) => JsonSerializer.Serialize(status, GateStatusJsonContext.Default.GateStatus);

    /// <summary>Reads a status; throws <see cref="JsonException"/> naming the problem when it is not one.</summary>
    public static GateStatus Deserialize(string json) =>
        JsonSerializer.Deserialize(json, GateStatusJsonContext.Default.GateStatus) ?? throw new JsonException("the gate status is null");
}
