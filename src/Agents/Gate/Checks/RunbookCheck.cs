using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>
/// runbook: the service has a runbook: <c>RUNBOOK.md</c> (any case) or <c>docs/runbook.md</c> in its folder, or
/// <c>docs/runbooks/&lt;service&gt;.md</c> / <c>runbooks/&lt;service&gt;.md</c> in the repository (the layout
/// <c>autopilot triage --runbooks</c> reads). It must have at least one markdown heading.
/// </summary>
internal sealed class RunbookCheck : IGateCheck
{
    private static readonly string[] InFolder = ["RUNBOOK.md", "docs/runbook.md", "docs/RUNBOOK.md", "runbook.md", "Runbook.md"];

    public string Id => GateChecks.Runbook;

    public bool AppliesTo(GateTarget target, GateContext context) => target.IsService;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        var ws = context.Workspace;
        var inFolder = InFolder.Select(n => Workspace.Join(target.Path, n));
        var central = new[] { $"docs/runbooks/{target.Name}.md", $"runbooks/{target.Name}.md" };
        var candidates = inFolder.Concat(central).Where(ws.FileSet.Contains).Distinct(StringComparer.Ordinal).ToList();
        if (candidates.Count == 0)
        {
            var expected = Workspace.Join(target.Path, "RUNBOOK.md");
            return CheckRun.Fail($"no runbook for {target.Name}", $"add {expected} (or docs/runbooks/{target.Name}.md) with the service's alerts, dashboards and steps",
                [new GateFinding(null, null, "missing_runbook", $"looked for {expected}, {Workspace.Join(target.Path, "docs/runbook.md")}, docs/runbooks/{target.Name}.md and runbooks/{target.Name}.md", false)]);
        }

        foreach (var file in candidates)
        {
            var text = ws.Read(file) ?? string.Empty;
            if (text.Split('\n').Any(l => l.TrimStart().StartsWith('#')))
            {
                return CheckRun.Pass($"runbook {file}");
            }
        }

        return CheckRun.Fail($"runbook for {target.Name} is empty", "give the runbook a title and its steps (markdown headings and lists)",
            candidates.Select(f => new GateFinding(f, 1, "empty_runbook", $"{f} has no markdown heading", false)).ToList());
    }
}
