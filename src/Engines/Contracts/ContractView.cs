namespace Autopilot.Engines.Contracts;

/// <summary>A contract as <c>GET /api/contracts</c> and <c>autopilot contracts check --output json</c> show it.</summary>
public sealed record ContractView(
    string Name,
    string File,
    string Urn,
    string? Owner,
    string? Tier,
    int Fields,
    IReadOnlyList<string> Rules,
    string? Freshness,
    long? VolumeMin,
    string? VolumePer,
    double SloObjective)
{
    public static ContractView Of(DataContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return new ContractView(contract.Name, contract.File, contract.Urn, contract.Owner, contract.Tier, contract.Schema.Count,
            [.. contract.Quality.Select(r => r.Text)], contract.Sla.Freshness?.ToString(), contract.Sla.VolumeMin, contract.Sla.VolumePer?.ToString(),
            contract.SloObjective);
    }
}
