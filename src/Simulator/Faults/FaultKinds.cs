namespace Autopilot.Simulator.Faults;

/// <summary>Names of the fault kinds on the command line and in reports.</summary>
public static class FaultKinds
{
    /// <summary>Every kind, in the order the accuracy suite rotates through them.</summary>
    public static IReadOnlyList<FaultKind> All { get; } =
        [FaultKind.Latency, FaultKind.DeployErrors, FaultKind.CpuSaturation, FaultKind.StaleDataset, FaultKind.SchemaChange, FaultKind.SlowDatabase];

    public static string Name(FaultKind kind) => kind switch
    {
        FaultKind.Latency => "latency",
        FaultKind.DeployErrors => "deploy-errors",
        FaultKind.CpuSaturation => "cpu",
        FaultKind.StaleDataset => "stale-dataset",
        FaultKind.SchemaChange => "schema-change",
        FaultKind.SlowDatabase => "slow-db",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown fault kind"),
    };

    public static bool TryParse(string? text, out FaultKind kind)
    {
        foreach (var k in All)
        {
            if (string.Equals(Name(k), text?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                kind = k;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
