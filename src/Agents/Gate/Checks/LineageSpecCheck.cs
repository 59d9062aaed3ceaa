using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>
/// lineage-spec: the service declares its lineage: an <c>openlineage.yml</c> (the OpenLineage client's
/// configuration) or a lineage spec (<c>lineage.yml</c>, <c>lineage/*.yml</c>) in its folder, or an
/// <c>openlineage.yml</c> at the repository root. The file must be a YAML mapping with at least one of transport,
/// namespace, jobs, job, datasets, inputs or outputs.
/// </summary>
internal sealed class LineageSpecCheck : IGateCheck
{
    private static readonly string[] Names = ["openlineage.yml", "openlineage.yaml", ".openlineage.yml", ".openlineage.yaml", "lineage.yml", "lineage.yaml"];

    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "transport", "namespace", "jobs", "job", "datasets", "inputs", "outputs" };

    public string Id => GateChecks.LineageSpec;

    public bool AppliesTo(GateTarget target, GateContext context) => target.IsService;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        var ws = context.Workspace;
        var candidates = Names.Select(n => Workspace.Join(target.Path, n))
            .Concat(ws.FilesUnder(Workspace.Join(target.Path, "lineage")).Where(f => f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".yaml", StringComparison.Ordinal)))
            .Concat(["openlineage.yml", "openlineage.yaml"])
            .Distinct(StringComparer.Ordinal)
            .Where(ws.FileSet.Contains)
            .ToList();
        if (candidates.Count == 0)
        {
            return CheckRun.Fail($"no lineage spec for {target.Name} (looked for {string.Join(", ", Names.Take(2).Concat(Names.Skip(4)))} or lineage/*.yml in {target.Path})",
                $"add {Workspace.Join(target.Path, "openlineage.yml")} declaring the transport/namespace and the jobs and datasets the service reads and writes",
                [new GateFinding(null, null, "missing_lineage_spec", $"{target.Path} has no lineage spec", false)]);
        }

        var problems = new List<GateFinding>();
        foreach (var file in candidates)
        {
            var problem = Validate(ws.Read(file) ?? string.Empty, out var line);
            if (problem is null)
            {
                return CheckRun.Pass($"lineage spec {file}");
            }

            problems.Add(new GateFinding(file, line, "invalid_lineage_spec", $"{file}: {problem}", false));
        }

        return CheckRun.Fail($"lineage spec for {target.Name} is not usable", "fix the lineage spec so it is a YAML mapping declaring transport/namespace or jobs and datasets", problems);
    }

    private static string? Validate(string text, out int line)
    {
        line = 1;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
            {
                return "is empty or not a YAML mapping";
            }

            return map.Children.Keys.OfType<YamlScalarNode>().Any(k => Keys.Contains(k.Value ?? string.Empty))
                ? null
                : $"has none of {string.Join(", ", Keys)}";
        }
        catch (YamlException e)
        {
            line = (int)e.Start.Line;
            return "is not valid YAML: " + e.Message;
        }
    }
}
