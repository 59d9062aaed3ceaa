using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Demo;

/// <summary>Fault <paramref name="Number"/> of the demo's script: what is injected (with its ground truth) and when, after the live phase begins.</summary>
internal sealed record PlannedFault(int Number, FaultSpec Spec, TimeSpan At)
{
    /// <summary><c>kind target</c>, e.g. <c>deploy-errors payment</c>.</summary>
    public string Name => FaultKinds.Name(Spec.Kind) + " " + Spec.Target;
}
