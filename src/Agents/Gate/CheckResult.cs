using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>What a check found, before enforcement.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckResult>))]
public enum CheckResult
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>Nothing to check (e.g. no base given, no report and none required); the message says why.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}
