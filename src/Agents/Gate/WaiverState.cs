using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>What became of a waiver in this run.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WaiverState>))]
public enum WaiverState
{
    /// <summary>Active and covered at least one failure.</summary>
    [JsonStringEnumMemberName("applied")]
    Applied,

    /// <summary>Active but nothing it covers failed (a candidate for removal).</summary>
    [JsonStringEnumMemberName("unused")]
    Unused,

    /// <summary>Past its expiry date: it no longer applies.</summary>
    [JsonStringEnumMemberName("expired")]
    Expired,
}
