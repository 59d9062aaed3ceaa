using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>How a failing check affects the gate.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EnforcementMode>))]
public enum EnforcementMode
{
    /// <summary>The check does not run.</summary>
    [JsonStringEnumMemberName("off")]
    Off,

    /// <summary>A failure is reported as a warning; the gate passes (WARN).</summary>
    [JsonStringEnumMemberName("warn")]
    Warn,

    /// <summary>
    /// A failure is reported as an error annotation and marked <c>would_fail</c>, but the gate passes (WARN, exit 0)
    /// unless soft failures are blocking (<c>--block-soft-fail</c> or the policy's <c>block_soft_fail: true</c>).
    /// </summary>
    [JsonStringEnumMemberName("soft-fail")]
    SoftFail,

    /// <summary>A failure fails the gate (FAIL, exit 1) unless a waiver covers it.</summary>
    [JsonStringEnumMemberName("hard-fail")]
    HardFail,
}
