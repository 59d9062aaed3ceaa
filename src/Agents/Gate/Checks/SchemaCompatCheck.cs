using Autopilot.Agents.Gate.Analysis;
using Autopilot.Agents.Gate.Compatibility;
using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>schema-compat: the target's changed schema files are compatible with their base versions (see <see cref="SchemaAnalysis"/>).</summary>
internal sealed class SchemaCompatCheck : IGateCheck
{
    public string Id => GateChecks.SchemaCompat;

    public bool AppliesTo(GateTarget target, GateContext context) => context.SchemaFiles[target].Count > 0;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        if (context.Base is null)
        {
            return CheckRun.Skip("no base to compare with (give --base <ref>; under GitHub Actions pull requests it defaults to origin/$GITHUB_BASE_REF)");
        }

        var owned = context.SchemaFiles[target].ToHashSet(StringComparer.Ordinal);
        var files = context.Schemas.Where(s => owned.Contains(s.Path)).ToList();
        var compared = files.Where(f => f.State == SchemaFileState.Compared).ToList();
        var counts = $"{files.Count} schema file(s): {compared.Count} changed, {files.Count(f => f.State == SchemaFileState.Added)} added, {files.Count(f => f.State == SchemaFileState.Deleted)} deleted, {files.Count(f => f.State == SchemaFileState.Unchanged)} unchanged";
        var notes = files.Where(f => f.Note is not null).Select(f => $"{f.Path}: {f.Note}").ToList();
        var findings = compared.SelectMany(f => f.Found.Select(i => new GateFinding(f.Path, i.Line, i.Rule, $"{f.Path} ({f.Format}, {f.Level.Name()}): {i.Message}", false))).ToList();
        if (findings.Count == 0)
        {
            var levels = string.Join(", ", compared.Select(f => f.Level.Name()).Distinct());
            return CheckRun.Pass(counts + (compared.Count > 0 ? $"; all compatible ({levels})" : string.Empty) + (notes.Count > 0 ? "; " + string.Join("; ", notes) : string.Empty));
        }

        var bad = compared.Where(f => f.Found.Count > 0).Select(f => f.Path).ToList();
        return CheckRun.Fail($"{counts}; {findings.Count} incompatibilit{(findings.Count == 1 ? "y" : "ies")} in {string.Join(", ", bad)}",
            "make the change compatible (defaults for added fields, keep or reserve removed ones, widen instead of change types), or version the subject under a new name",
            findings);
    }
}
