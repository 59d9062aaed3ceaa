using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Host.Demo;

/// <summary>
/// The demo's script: each requested fault with its ground truth (from <see cref="FaultCatalog"/>, magnitudes drawn
/// from the seed) and its time after the live phase begins. Faults without a time are spread over the first 60 % of
/// the live phase (the first at 8 %, the last at 58 %), so the engines' one-minute windows close on each of them
/// before the live phase ends.
/// </summary>
internal static class DemoPlan
{
    /// <summary>A deploy's errors start this soon after it (the catalogue draws 0–90 s, too long to watch).</summary>
    public static readonly TimeSpan DeployDelay = TimeSpan.FromSeconds(5);

    /// <exception cref="ArgumentException">A target the fault kind cannot hit (the message lists those it can).</exception>
    public static IReadOnlyList<PlannedFault> Build(DemoOptions options, ShopTopology topology)
    {
        var random = new Random(options.Seed);
        var planned = new List<(FaultSpec Spec, TimeSpan At)>(options.Faults.Count);
        for (var i = 0; i < options.Faults.Count; i++)
        {
            var request = options.Faults[i];
            var spec = FaultCatalog.Create(request.Kind, topology, options.Environment, request.Target, random,
                request.Kind == FaultKind.DeployErrors ? DeployDelay : null);
            planned.Add((spec, request.At ?? Place(i, options.Faults.Count, options.Duration)));
        }

        // Numbered in the order they are injected (a stable sort keeps the given order for equal times).
        return [.. planned.OrderBy(p => p.At).Select((p, i) => new PlannedFault(i + 1, p.Spec, p.At))];
    }

    /// <summary>Where fault <paramref name="index"/> of <paramref name="count"/> goes when no time was given.</summary>
    internal static TimeSpan Place(int index, int count, TimeSpan duration)
    {
        var share = count <= 1 ? 0.08 : 0.08 + (0.5 * index / (count - 1));
        return TimeSpan.FromSeconds(Math.Round(duration.TotalSeconds * share));
    }
}
