using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>What a check's result means for the gate once its mode and the waivers are applied.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckOutcome>))]
public enum CheckOutcome
{
    [JsonStringEnumMemberName("passed")]
    Passed,

    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Failed in warn mode.</summary>
    [JsonStringEnumMemberName("warned")]
    Warned,

    /// <summary>Failed in soft-fail mode while soft failures do not block: would fail once the check is hard-fail.</summary>
    [JsonStringEnumMemberName("would_fail")]
    WouldFail,

    /// <summary>Failed in hard-fail mode (or soft-fail while soft failures block): the gate fails.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>Failed, but every failure is covered by an active waiver.</summary>
    [JsonStringEnumMemberName("waived")]
    Waived,
}
