using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Context;
using Autopilot.Rca.Graph;
using Autopilot.Rca.Ranking;

namespace Autopilot.Rca.Explain;

/// <summary>
/// The deterministic explainer (the default, and the fallback of the LLM): the same analysis always gives the
/// same answer. Actions follow the evidence on the top suspect: a change shortly before its onset → ROLLBACK;
/// memory or a stuck process → RESTART; saturation, or latency while traffic spikes → SCALE_OUT; nothing worse
/// than a warning that keeps coming and going → IGNORE; anything else → INVESTIGATE.
/// </summary>
internal static class RulesExplainer
{
    public const string Name = "rules";

    private static readonly string[] MemoryWords = ["memory", "heap", "outofmemory", "oom", "gc pause", "rss"];
    private static readonly string[] StuckWords = ["stuck", "deadlock", "hung", "not progressing", "unresponsive"];
    private static readonly string[] SaturationWords = ["cpu", "utilization", "saturat", "queue", "pool", "connections", "thread", "throttl", "backlog"];

    public static RcaAnswer Explain(Analysis analysis, string? fallback = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        var context = analysis.Context;
        var suspects = analysis.Ranking.Suspects;
        var causes = suspects.Select(s => new RootCause(s.Urn, s.Confidence, s.Reasons, s.Evidence)).ToList();
        var actions = Actions(analysis);
        return new RcaAnswer(
            context.IncidentId,
            context.FromUnixNano,
            context.ToUnixNano,
            Summary(analysis),
            causes,
            context.Timeline,
            analysis.BlastRadius,
            actions,
            NextChecks(analysis, actions),
            StakeholderUpdate(analysis, actions),
            Name,
            fallback,
            context.Notes.Count > 0 ? context.Notes : null);
    }

    internal static string Subject(RcaContext context) =>
        context.IncidentId is { } id ? $"Incident {id} ({Severity(context.Severity)})"
        : context.SymptomUrn is { } urn ? $"{RootCauseRanker.Time(context.FromUnixNano)} to {RootCauseRanker.Time(context.ToUnixNano)} around {urn}"
        : $"{RootCauseRanker.Time(context.FromUnixNano)} to {RootCauseRanker.Time(context.ToUnixNano)}";

    private static string Summary(Analysis analysis)
    {
        var context = analysis.Context;
        var assets = context.Findings.Select(f => f.Urn).Distinct(StringComparer.Ordinal).Count();
        if (analysis.Ranking.Suspects.Count == 0)
        {
            return context.Findings.Count == 0
                ? $"{Subject(context)}: no findings, nothing to explain."
                : $"{Subject(context)}: {context.Findings.Count} finding(s) on {assets} asset(s), but no suspect stands out.";
        }

        var top = analysis.Ranking.Suspects[0];
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{Subject(context)}: {context.Findings.Count} finding(s) on {assets} asset(s) from {RootCauseRanker.Time(context.FromUnixNano)} to {RootCauseRanker.Time(context.ToUnixNano)}. Most likely root cause: {top.Urn} (confidence {top.Confidence:0.00}): {string.Join("; ", top.Reasons.Take(2))}.");
        if (analysis.Ranking.Suspects.Count > 1 && analysis.Ranking.Suspects[1] is var second && second.Confidence >= 0.6 * top.Confidence)
        {
            text += string.Create(CultureInfo.InvariantCulture, $" Close runner-up: {second.Urn} (confidence {second.Confidence:0.00}).");
        }

        return text;
    }

    private static List<RecommendedAction> Actions(Analysis analysis)
    {
        var suspects = analysis.Ranking.Suspects;
        if (suspects.Count == 0)
        {
            return [];
        }

        var actions = new List<RecommendedAction> { Primary(analysis, suspects[0]) };
        if (suspects.Count > 1 && suspects[1].Confidence >= 0.6 * suspects[0].Confidence)
        {
            var second = suspects[1];
            actions.Add(new RecommendedAction(ActionType.Investigate, second.Urn,
                string.Create(CultureInfo.InvariantCulture, $"Close runner-up (confidence {second.Confidence:0.00} vs {suspects[0].Confidence:0.00}): rule it out before acting on the top suspect."), "low"));
        }

        return actions;
    }

    private static RecommendedAction Primary(Analysis analysis, RankedSuspect top)
    {
        var context = analysis.Context;
        var text = string.Join(' ', top.Findings.SelectMany(f => new[] { f.Kind, f.Summary }.Concat(f.Evidence.Select(e => e.Reference + " " + e.Detail)))).ToLowerInvariant();
        var kinds = top.Findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal).ToList();

        if (top.Change is { } change && top.ChangeScore >= 0.3)
        {
            var gap = (top.OnsetUnixNano ?? context.FromUnixNano) - change.TimeUnixNano;
            var when = gap > 0 ? RootCauseRanker.Duration(gap) + " before" : "at";
            var effects = kinds.Count > 0 ? string.Join(", ", kinds) : "its dependents' failures";
            return change.Kind switch
            {
                "schema" => new RecommendedAction(ActionType.Rollback, top.Urn,
                    $"Schema change {when} the anomalies ({effects}): {change.Description}. Revert the schema or pin readers to the previous version{(change.Before is not null ? $" ({change.Before})" : string.Empty)}.",
                    "high"),
                "deploy" or "config" => new RecommendedAction(ActionType.Rollback, top.Urn,
                    $"{(change.Kind == "deploy" ? "Deploy" : "Configuration change")} {when} the anomalies ({effects}): {change.Description}. Rolling back{(change.Before is not null ? $" to {change.Before}" : string.Empty)} is the quickest test of the hypothesis.",
                    "medium"),
                _ => new RecommendedAction(ActionType.Investigate, top.Urn, $"{change.Kind} change {when} the anomalies: {change.Description}. Check whether it caused them.", "low"),
            };
        }

        if (top.Inferred)
        {
            return new RecommendedAction(ActionType.Investigate, top.Urn,
                $"It reports nothing itself, but {top.AnomalousDependents} asset(s) that depend on it fail together: check its health, capacity and logs directly.", "low");
        }

        if (Contains(text, MemoryWords) || Contains(text, StuckWords) || (top.Kind is "job" or "service" && kinds.Contains("freshness.stale")))
        {
            return new RecommendedAction(ActionType.Restart, top.Urn,
                Contains(text, MemoryWords)
                    ? "Memory keeps growing (a leak): a restart buys time; capture a heap profile first so the leak can be found."
                    : "It looks stuck (no progress, no updates): a restart usually clears it; keep its logs from before the restart.",
                "medium");
        }

        if (top.Kind == "dataset" && kinds.Contains("freshness.stale"))
        {
            var writer = Writer(context.Graph, top.Urn);
            return writer is not null
                ? new RecommendedAction(ActionType.Restart, writer, $"{top.Urn} stopped being updated; {writer} writes it and looks stuck: restart it, then check its last run.", "medium")
                : new RecommendedAction(ActionType.Investigate, top.Urn, "It stopped being updated and its writer is not in the graph: find the job that writes it and check its last run.", "low");
        }

        var latency = kinds.Contains("anomaly.latency") || (kinds.Contains("anomaly.threshold") && text.Contains("p9", StringComparison.Ordinal));
        var load = context.Findings.Any(f => f.Kind == "volume.spike");
        if (Contains(text, SaturationWords) || (latency && load))
        {
            return new RecommendedAction(ActionType.ScaleOut, top.Urn,
                latency && load ? "Latency rose while traffic spiked: add capacity, then look for the source of the extra load." : "It is saturated (CPU, queues or pools at their limit): add capacity.",
                "low");
        }

        var low = context.Severity <= FindingSeverity.Warning && top.Findings.All(f => f.Severity <= FindingSeverity.Warning);
        var flapping = top.Findings.GroupBy(f => f.Kind, StringComparer.Ordinal).Any(g => g.Select(f => f.WindowStartUnixNano).Distinct().Count() >= 3)
            || context.Timeline.Any(t => t.Kind == "freshness.recovered" && t.Urn == top.Urn);
        if (low && (flapping || top.Findings.All(f => f.Severity == FindingSeverity.Info)))
        {
            return new RecommendedAction(ActionType.Ignore, top.Urn,
                "Low severity and it keeps coming and going: no action now; tune the threshold if it keeps paging.", "low");
        }

        return new RecommendedAction(ActionType.Investigate, top.Urn,
            $"Nothing points at a safe automatic fix: look into {string.Join(", ", kinds.DefaultIfEmpty("its anomalies"))} on it first.", "low");
    }

    private static List<string> NextChecks(Analysis analysis, List<RecommendedAction> actions)
    {
        var context = analysis.Context;
        var checks = new List<string>();
        var suspects = analysis.Ranking.Suspects;
        if (suspects.Count == 0)
        {
            checks.Add("widen the window or run `autopilot health` to see what is failing now");
            return checks;
        }

        var top = suspects[0];
        checks.Add($"autopilot triage --urn {top.Urn}");
        if (top.Change is { } change)
        {
            checks.Add(change.Before is not null || change.After is not null
                ? $"diff {change.Before ?? "the previous version"} → {change.After ?? "the new version"} of {top.Urn} and watch its error rate after the {(actions[0].Action == ActionType.Rollback ? "rollback" : "change")}"
                : $"review the {change.Kind} change on {top.Urn}: {change.Description}");
        }

        foreach (var trace in top.Evidence.Where(e => e.Type == "trace").Select(e => e.Reference).Distinct(StringComparer.Ordinal).Take(2))
        {
            checks.Add($"open trace {trace} (a failing request on {top.Urn})");
        }

        if (top.Inferred)
        {
            checks.Add($"check {top.Urn} directly: no telemetry of its own reaches Autopilot");
        }

        if (suspects.Count > 1)
        {
            checks.Add(string.Create(CultureInfo.InvariantCulture, $"rule out {suspects[1].Urn} (confidence {suspects[1].Confidence:0.00})"));
        }

        if (analysis.BlastRadius.Count > 0)
        {
            checks.Add($"watch the {analysis.BlastRadius.Count} downstream asset(s): {string.Join(", ", analysis.BlastRadius.Take(3))}{(analysis.BlastRadius.Count > 3 ? ", …" : string.Empty)}");
        }

        if (!context.GraphAvailable)
        {
            checks.Add("no asset graph for these assets: the ranking used onset, strength and changes only (client spans, database spans and lineage events build it)");
        }

        return checks;
    }

    private static string StakeholderUpdate(Analysis analysis, List<RecommendedAction> actions)
    {
        var context = analysis.Context;
        var severity = Severity(context.Severity).ToUpperInvariant();
        var assets = context.Findings.Select(f => f.Urn).Distinct(StringComparer.Ordinal).ToList();
        if (analysis.Ranking.Suspects.Count == 0)
        {
            return $"[{severity}] No anomalies found between {RootCauseRanker.Time(context.FromUnixNano)} and {RootCauseRanker.Time(context.ToUnixNano)}. No action needed.";
        }

        var top = analysis.Ranking.Suspects[0];
        var action = actions[0];
        var verb = action.Action switch
        {
            ActionType.Rollback => "roll back",
            ActionType.Restart => "restart",
            ActionType.ScaleOut => "scale out",
            ActionType.Ignore => "keep watching (no action needed)",
            _ => "investigate",
        };
        var impact = analysis.BlastRadius.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $" Up to {analysis.BlastRadius.Count} downstream asset(s) may be affected.")
            : string.Empty;
        return string.Create(CultureInfo.InvariantCulture,
            $"[{severity}] Since {RootCauseRanker.Time(context.FromUnixNano)}, {assets.Count} asset(s) show problems ({string.Join(", ", assets.Take(3))}{(assets.Count > 3 ? ", …" : string.Empty)}).{impact} Most likely cause: {top.Urn} ({(top.Reasons.Count > 0 ? top.Reasons[0] : "ranked first")}; confidence {top.Confidence * 100:0}%). Next step: {verb} {(action.Action == ActionType.Ignore ? string.Empty : action.Target)}. Next update in 30 minutes.").Replace("  ", " ", StringComparison.Ordinal);
    }

    /// <summary>The job (or service) that writes <paramref name="dataset"/>, when the context graph has it as a dependency.</summary>
    private static string? Writer(ContextGraph graph, string dataset)
    {
        if (!graph.TryGet(dataset, out var v))
        {
            return null;
        }

        // Its writer is what it depends on for its data (a reader depends on it, not the other way round).
        var up = graph.Up[v];
        for (var k = 0; k < up.Count; k++)
        {
            if ((graph.UpPlanes[v][k] & ContextGraph.Mask(FaultPlane.Data)) != 0 && ContextGraph.KindOf(graph.Urns[up[k]]) is "job" or "service")
            {
                return graph.Urns[up[k]];
            }
        }

        return null;
    }

    private static bool Contains(string text, string[] words)
    {
        foreach (var w in words)
        {
            if (text.Contains(w, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    internal static string Severity(FindingSeverity severity) => severity.ToString().ToLowerInvariant();
}
