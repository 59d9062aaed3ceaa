namespace Autopilot.Agents.Gate.Contracts;

/// <summary>
/// The parts of a data contract (the contract engine's YAML format: urn or dataset, schema, quality, sla, slo)
/// that the gate compares between base and head.
/// </summary>
internal sealed class ContractDocument(string path)
{
    public string Path { get; } = path;

    /// <summary>The contract's URN (given, or built from dataset namespace and name).</summary>
    public string? Identity { get; set; }

    public int IdentityLine { get; set; } = 1;

    /// <summary>Names a write in code may use for this dataset: the full name and its last dotted part.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, ContractField> Fields { get; } = new(StringComparer.Ordinal);

    public List<(string Rule, int Line)> Quality { get; } = [];

    public (TimeSpan Value, int Line)? Freshness { get; set; }

    /// <summary>Minimum rows per hour (min ÷ per), so "100 per 1h" and "2400 per 1d" compare.</summary>
    public (double PerHour, string Text, int Line)? Volume { get; set; }

    public (double Value, int Line)? Objective { get; set; }
}
