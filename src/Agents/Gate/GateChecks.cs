namespace Autopilot.Agents.Gate;

/// <summary>The ids of the checks the gate knows (the keys of a tier's <c>checks</c> in gates.yaml).</summary>
public static class GateChecks
{
    public const string OtelSdk = "otel-sdk";
    public const string LineageSpec = "lineage-spec";
    public const string SchemaCompat = "schema-compat";
    public const string Runbook = "runbook";
    public const string DataContract = "data-contract";
    public const string ContractBreaking = "contract-breaking";
    public const string TelemetryValidation = "telemetry-validation";

    /// <summary>Every check, in the order they run and are reported.</summary>
    public static readonly IReadOnlyList<string> All = [OtelSdk, TelemetryValidation, LineageSpec, Runbook, DataContract, SchemaCompat, ContractBreaking];

    /// <summary>Checks about files that change (they run on every target holding such files, service or not).</summary>
    public static bool IsFileCheck(string check) => check is SchemaCompat or ContractBreaking;
}
