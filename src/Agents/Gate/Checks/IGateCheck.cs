using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>One kind of check the gate runs per target.</summary>
internal interface IGateCheck
{
    /// <summary>The id used in gates.yaml and the status, e.g. <c>runbook</c>.</summary>
    string Id { get; }

    /// <summary>False when the check has nothing to say about this target (a file check on a target without such files, a service check on the repository target).</summary>
    bool AppliesTo(GateTarget target, GateContext context);

    CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context);
}
