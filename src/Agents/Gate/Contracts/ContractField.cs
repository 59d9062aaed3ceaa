namespace Autopilot.Agents.Gate.Contracts;

/// <summary>A field of a data contract's schema.</summary>
internal sealed record ContractField(string Name, string? Type, bool Required, int Line);
