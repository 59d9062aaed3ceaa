using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Demo;

/// <summary>
/// One entry of <c>--faults</c>: <c>kind[:target][@time]</c>, e.g. <c>deploy-errors:payment@15s</c>. A null target
/// takes the kind's first target in the catalogue; a null time lets <see cref="DemoPlan"/> place it.
/// </summary>
internal sealed record DemoFaultRequest(FaultKind Kind, string? Target, TimeSpan? At)
{
    /// <summary>Parses one entry; null with <paramref name="problem"/> naming what is wrong.</summary>
    public static DemoFaultRequest? Parse(string text, out string? problem)
    {
        problem = null;
        var spec = text.Trim();
        TimeSpan? at = null;
        var atSign = spec.IndexOf('@', StringComparison.Ordinal);
        if (atSign >= 0)
        {
            if (!DemoFormat.TryParseDuration(spec[(atSign + 1)..], out var time))
            {
                problem = $"--faults: '{text}': '{spec[(atSign + 1)..]}' is not a time such as 15s, 1m30s or 00:01:30";
                return null;
            }

            at = time;
            spec = spec[..atSign];
        }

        var colon = spec.IndexOf(':', StringComparison.Ordinal);
        var kindName = colon < 0 ? spec : spec[..colon];
        var target = colon < 0 ? null : spec[(colon + 1)..].Trim();
        if (!FaultKinds.TryParse(kindName, out var kind))
        {
            problem = $"--faults: unknown fault kind '{kindName}'; known: {string.Join(", ", FaultKinds.All.Select(FaultKinds.Name))}";
            return null;
        }

        if (target is { Length: 0 })
        {
            problem = $"--faults: '{text}' has an empty target after ':'";
            return null;
        }

        return new DemoFaultRequest(kind, target, at);
    }
}
