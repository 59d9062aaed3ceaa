using System.Text.RegularExpressions;
using Autopilot.Agents.Gate.Policy;
using Autopilot.Agents.Gate.Targets;

namespace Autopilot.Agents.Gate.Checks;

/// <summary>
/// data-contract: every topic or table the service writes has a data contract (contracts/*.yaml, matched by the
/// contract's urn, dataset name or topic; a table matches by its last dotted part). Writes are found lightly, by the
/// common producer calls (Confluent.Kafka ProduceAsync, Java ProducerRecord, kafkajs <c>topic:</c>, confluent-kafka
/// / kafka-python produce/send, Go <c>Topic:</c>) and SQL <c>INSERT INTO</c> in source files outside tests.
/// A service with no writes found is skipped.
/// </summary>
internal sealed partial class DataContractCheck : IGateCheck
{
    private const int MaxFiles = 5_000;

    private static readonly HashSet<string> SourceExtensions = new(StringComparer.Ordinal) { ".cs", ".java", ".kt", ".scala", ".go", ".py", ".js", ".ts", ".mjs", ".cjs", ".sql", ".rb" };

    public string Id => GateChecks.DataContract;

    public bool AppliesTo(GateTarget target, GateContext context) => target.IsService;

    public CheckRun Run(GateTarget target, CheckPolicy policy, GateContext context)
    {
        var ws = context.Workspace;
        var writes = new List<(string Name, string Kind, string File, int Line)>();
        var scanned = 0;
        foreach (var file in ws.FilesUnder(target.Path))
        {
            if (scanned >= MaxFiles || !SourceExtensions.Contains(Path.GetExtension(file)) || OtelSdkCheck.IsTestFile(file))
            {
                continue;
            }

            scanned++;
            if (ws.Read(file) is not { } text)
            {
                continue;
            }

            foreach (var (pattern, kind) in Patterns())
            {
                foreach (Match m in pattern.Matches(text))
                {
                    var name = m.Groups["name"].Value;
                    if (!writes.Any(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase)))
                    {
                        writes.Add((name, kind, file, Workspace.LineOf(text, m.Index)));
                    }
                }
            }
        }

        if (writes.Count == 0)
        {
            return CheckRun.Skip($"no topic or table writes found in {scanned} source files of {target.Path}");
        }

        var contracts = context.Contracts.Head;
        var missing = writes.Where(w => !contracts.Any(c => c.Names.Contains(w.Name) || c.Names.Contains(LastPart(w.Name)))).ToList();
        if (missing.Count == 0)
        {
            return CheckRun.Pass($"{writes.Count} written dataset(s)/topic(s) all have a data contract ({string.Join(", ", writes.Select(w => w.Name))})");
        }

        return CheckRun.Fail($"{missing.Count} of {writes.Count} written dataset(s)/topic(s) have no data contract: {string.Join(", ", missing.Select(m => m.Name))}",
            $"add a contract per dataset under contracts/ (e.g. contracts/{missing[0].Name}.yaml with urn or dataset, owner, schema and sla)",
            missing.Select(m => new GateFinding(m.File, m.Line, "missing_contract", $"{m.Kind} '{m.Name}' is written here but has no data contract", false)).ToList());
    }

    private static string LastPart(string name) => name[(name.LastIndexOf('.') + 1)..];

    private static IEnumerable<(Regex Pattern, string Kind)> Patterns()
    {
        yield return (DotnetProduce(), "topic");
        yield return (JavaProducerRecord(), "topic");
        yield return (TopicProperty(), "topic");
        yield return (PythonProduce(), "topic");
        yield return (SqlInsert(), "table");
    }

    [GeneratedRegex("\\bProduce(?:Async)?\\s*\\(\\s*\"(?<name>[A-Za-z0-9._\\-]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex DotnetProduce();

    [GeneratedRegex("new\\s+ProducerRecord\\s*(?:<[^>]*>)?\\s*\\(\\s*\"(?<name>[A-Za-z0-9._\\-]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex JavaProducerRecord();

    [GeneratedRegex("\\b[Tt]opic\\s*:\\s*[\"'](?<name>[A-Za-z0-9._\\-]+)[\"']", RegexOptions.CultureInvariant)]
    private static partial Regex TopicProperty();

    [GeneratedRegex("\\.(?:produce|send)\\s*\\(\\s*[\"'](?<name>[A-Za-z0-9._\\-]+)[\"']", RegexOptions.CultureInvariant)]
    private static partial Regex PythonProduce();

    [GeneratedRegex("\\bINSERT\\s+INTO\\s+[\"`]?(?<name>[A-Za-z_][A-Za-z0-9_.]*)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SqlInsert();
}
