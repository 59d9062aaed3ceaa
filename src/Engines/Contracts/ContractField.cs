namespace Autopilot.Engines.Contracts;

/// <summary>One field of a contract's schema; <paramref name="Type"/> null means any type.</summary>
public sealed record ContractField(string Name, string? Type, bool Required);
