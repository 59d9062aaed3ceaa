namespace Autopilot.Simulator.Topology;

/// <summary>A simulated service: its name, the version it runs at the start, its idle CPU share and its operations.</summary>
public sealed record ServiceSpec(string Name, string Version, double CpuBase, IReadOnlyList<OperationSpec> Operations)
{
    public OperationSpec Operation(string name)
    {
        foreach (var op in Operations)
        {
            if (op.Name == name)
            {
                return op;
            }
        }

        throw new ArgumentException($"service '{Name}' has no operation '{name}'", nameof(name));
    }
}
