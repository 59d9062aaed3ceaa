using Autopilot.Agents.Gate.Contracts;
using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>contract-breaking: the target's data contracts did not change in a breaking way since the base (see <see cref="ContractDiff"/>).</summary>
internal sealed class ContractBreakingCheck : IGateCheck
{
    public string Id => GateChecks.ContractBreaking;

    public bool AppliesTo(GateTarget target, GateContext context) => context.ContractFiles[target].Count > 0;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        if (context.Base is null)
        {
            return CheckRun.Skip("no base to compare with (give --base <ref>)");
        }

        var owned = context.ContractFiles[target];
        var changed = owned.Where(context.Contracts.Changes.ContainsKey).ToList();
        var findings = changed.SelectMany(f => context.Contracts.Changes[f]).ToList();
        var notes = owned.Where(context.Contracts.BaseNotes.ContainsKey).Select(f => $"{f}: {context.Contracts.BaseNotes[f]}").ToList();
        var summary = $"{owned.Count} contract(s), {changed.Count} changed" + (notes.Count > 0 ? "; " + string.Join("; ", notes) : string.Empty);
        return findings.Count == 0
            ? CheckRun.Pass(summary + (changed.Count > 0 ? "; no breaking change" : string.Empty))
            : CheckRun.Fail($"{summary}; {findings.Count} breaking change(s)",
                "keep the contract's guarantees (restore removed or retyped fields, keep SLAs), or publish a new contract version for a new dataset and migrate consumers",
                findings);
    }
}
