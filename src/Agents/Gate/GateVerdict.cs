using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>The gate's answer for a target and overall.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GateVerdict>))]
public enum GateVerdict
{
    /// <summary>Every check passed or was skipped.</summary>
    [JsonStringEnumMemberName("PASS")]
    Pass,

    /// <summary>Something failed in warn or soft-fail mode, or under a waiver; the gate lets the change through (exit 0).</summary>
    [JsonStringEnumMemberName("WARN")]
    Warn,

    /// <summary>A hard-fail check failed (or a soft-fail one while soft failures block); exit 1.</summary>
    [JsonStringEnumMemberName("FAIL")]
    Fail,
}
