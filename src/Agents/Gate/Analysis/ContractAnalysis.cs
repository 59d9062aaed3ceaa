using Autopilot.Agents.Gate.Compatibility;
using Autopilot.Agents.Gate.Contracts;
using Autopilot.Agents.Gate.Policy;

namespace Autopilot.Agents.Gate.Analysis;

/// <summary>Every data contract of the working tree (parsed; a broken one is a usage error) and, with a base, the breaking changes per file.</summary>
internal sealed class ContractAnalysis
{
    public List<ContractDocument> Head { get; } = [];

    /// <summary>Per contract file (head path, or base path when deleted): findings; files that did not change are absent.</summary>
    public Dictionary<string, List<GateFinding>> Changes { get; } = new(StringComparer.Ordinal);

    /// <summary>Contract files of the base that did not parse (nothing compared).</summary>
    public Dictionary<string, string> BaseNotes { get; } = new(StringComparer.Ordinal);

    /// <summary>Contract files present at base or head (for deciding which targets run contract-breaking).</summary>
    public HashSet<string> AllPaths { get; } = new(StringComparer.Ordinal);

    public static ContractAnalysis Run(Workspace workspace, BaseSnapshot? baseSnapshot, GatePolicy policy)
    {
        var analysis = new ContractAnalysis();
        var errors = new List<string>();
        foreach (var path in workspace.Files)
        {
            if (!policy.IsContract(path))
            {
                continue;
            }

            analysis.AllPaths.Add(path);
            try
            {
                var text = workspace.Read(path) ?? throw new SchemaParseException(path, 1, "cannot be read");
                var doc = ContractReader.Read(text, path);
                analysis.Head.Add(doc);
                if (baseSnapshot?.Texts.TryGetValue(path, out var baseText) == true && !string.Equals(baseText, text, StringComparison.Ordinal))
                {
                    try
                    {
                        analysis.Changes[path] = ContractDiff.Compare(ContractReader.Read(baseText, $"{baseSnapshot.Revision}:{path}"), doc);
                    }
                    catch (SchemaParseException e)
                    {
                        analysis.BaseNotes[path] = $"the base version does not parse ({e.Problem})";
                    }
                }
            }
            catch (SchemaParseException e)
            {
                errors.Add("contract: " + e.Message);
            }
        }

        if (errors.Count > 0)
        {
            throw new GateUsageException(string.Join('\n', errors));
        }

        if (baseSnapshot is not null)
        {
            foreach (var path in baseSnapshot.Texts.Keys.Where(p => policy.IsContract(p) && !workspace.FileSet.Contains(p)))
            {
                analysis.AllPaths.Add(path);
                analysis.Changes[path] = [new GateFinding(path, null, "CONTRACT_REMOVED", $"data contract {path} was deleted; its consumers lose the guarantees it gave", false)];
            }
        }

        return analysis;
    }
}
