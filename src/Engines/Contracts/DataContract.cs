namespace Autopilot.Engines.Contracts;

/// <summary>
/// A data contract (see <see cref="ContractSet"/> for the YAML shape): the dataset it governs, who owns it,
/// the schema it promises, quality rules, and service levels. <see cref="SloObjective"/> is the fraction of
/// evaluation windows that must be good.
/// </summary>
public sealed record DataContract(
    string Name,
    string File,
    string Urn,
    string? Owner,
    string? Tier,
    IReadOnlyList<ContractField> Schema,
    IReadOnlyList<ContractRule> Quality,
    ContractSla Sla,
    double SloObjective);
