using System.Text.Json;
using System.Text.Json.Serialization;

namespace Autopilot.Agents.Gate;

/// <summary>Source-generated serialization for <see cref="GateStatus"/>: no reflection at run time, which a CLI that starts once per CI job pays for on every run.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(GateStatus))]
internal sealed partial class GateStatusJsonContext : JsonSerializerContext;
