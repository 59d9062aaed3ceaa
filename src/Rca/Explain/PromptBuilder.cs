using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autopilot.Engines.Findings;
using Autopilot.Rca.Ranking;

namespace Autopilot.Rca.Explain;

/// <summary>
/// Builds the LLM prompt from an analysis: instructions and the answer's JSON Schema as the system message, the
/// ranked context as compact JSON in the user message. Sizes are bounded: candidates, evidence per candidate,
/// changes, timeline entries, blast radius and the length of every text field; when the whole prompt is still
/// over <see cref="LlmOptions.MaxPromptChars"/>, the timeline, then evidence, then changes and the blast radius
/// shrink until it fits. What was cut is listed in the context itself (<c>truncated</c>), so the model knows.
/// </summary>
internal static class PromptBuilder
{
    private static readonly Lazy<string> SchemaText = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("rca-explanation.schema.json")
            ?? throw new InvalidOperationException("the rca-explanation schema is not embedded in Autopilot.Rca");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <summary>The JSON Schema the model must answer in (schemas/rca-explanation.schema.json).</summary>
    public static string Schema => SchemaText.Value;

    public static JsonElement SchemaElement => JsonDocument.Parse(Schema).RootElement.Clone();

    public static RcaPrompt Build(Analysis analysis, LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(options);
        var system = SystemMessage();
        var limits = new Limits(Timeline: 60, Evidence: 6, Changes: 20, Blast: 50, Field: options.MaxFieldChars);
        while (true)
        {
            var truncated = new List<string>();
            var user = UserMessage(analysis, limits, truncated);
            var size = system.Length + user.Length;
            if (size <= options.MaxPromptChars || limits.IsMinimal)
            {
                if (size > options.MaxPromptChars)
                {
                    // Even the smallest context is over the limit: cut the text itself, and say so in the prompt.
                    var room = Math.Max(200, options.MaxPromptChars - system.Length - 120);
                    user = user[..Math.Min(user.Length, room)] + "\n[prompt truncated at " + room.ToString(CultureInfo.InvariantCulture) + " characters]";
                    truncated.Add("the context JSON itself was cut to fit the prompt limit");
                    size = system.Length + user.Length;
                }

                return new RcaPrompt(ProviderName(options.Provider), options.EffectiveModel, system, user, size, options.MaxPromptChars, truncated);
            }

            limits = limits.Shrink();
        }
    }

    internal static string ProviderName(LlmProvider provider) => provider switch
    {
        LlmProvider.Anthropic => "anthropic",
        LlmProvider.OpenAi => "openai",
        _ => "none",
    };

    private static string SystemMessage() =>
        "You are the root-cause analyst of Autopilot, an observability pipeline. You get the ranked context of an incident " +
        "(or of a time window) as JSON: candidate root causes ranked by a random walk over the dependency graph combined with " +
        "anomaly onset, strength and recent changes, each with its calibrated confidence, reasons and evidence; the changes " +
        "(deploys, schema changes) before and during the window; a timeline; and the blast radius of the top candidate.\n" +
        "Answer with ONE JSON object and nothing else (no prose, no code fence), valid against this JSON Schema:\n" +
        Schema + "\n" +
        "Rules:\n" +
        "- root_causes: most likely first, chosen only among the candidates' urn values; give reasons grounded in the context.\n" +
        "- actions: target is a URN from the context; action is RESTART (memory leak, stuck process), SCALE_OUT (saturation, " +
        "latency under load), ROLLBACK (a deploy, config or schema change shortly before the errors), IGNORE (low-severity flapping) " +
        "or INVESTIGATE (anything else); risk is low, medium or high.\n" +
        "- next_checks: concrete checks an on-call engineer can run next.\n" +
        "- stakeholder_update: two to four plain sentences for people outside engineering.\n" +
        "- Use only facts from the context; when the context says something was truncated, do not guess what was cut.";

    private static string UserMessage(Analysis analysis, Limits limits, List<string> truncated)
    {
        var context = analysis.Context;
        var suspects = analysis.Ranking.Suspects;
        var root = new JsonObject
        {
            ["subject"] = RulesExplainer.Subject(context),
            ["severity"] = RulesExplainer.Severity(context.Severity),
            ["from"] = RootCauseRanker.Time(context.FromUnixNano),
            ["to"] = RootCauseRanker.Time(context.ToUnixNano),
            ["symptom_urn"] = context.SymptomUrn,
            ["graph_available"] = context.GraphAvailable,
            ["findings"] = context.Findings.Count,
            ["candidates_considered"] = analysis.Ranking.Candidates,
        };

        var candidates = new JsonArray();
        for (var i = 0; i < suspects.Count; i++)
        {
            var s = suspects[i];
            var evidence = new JsonArray();
            foreach (var e in s.Evidence.Take(limits.Evidence))
            {
                evidence.Add(Evidence(e, limits.Field));
            }

            if (s.Evidence.Count > limits.Evidence)
            {
                truncated.Add($"candidate {i + 1}: {limits.Evidence} of {s.Evidence.Count} evidence items shown");
            }

            candidates.Add(new JsonObject
            {
                ["rank"] = i + 1,
                ["urn"] = s.Urn,
                ["kind"] = s.Kind,
                ["confidence"] = s.Confidence,
                ["scores"] = new JsonObject { ["raw"] = s.Raw, ["walk_share"] = s.WalkShare, ["onset"] = s.OnsetScore, ["strength"] = s.Strength, ["change"] = s.ChangeScore },
                ["inferred_without_findings"] = s.Inferred,
                ["onset"] = s.OnsetUnixNano is { } o ? RootCauseRanker.Time(o) : null,
                ["anomalous_dependents"] = s.AnomalousDependents,
                ["reasons"] = new JsonArray([.. s.Reasons.Select(r => (JsonNode?)Cut(r, limits.Field * 2))]),
                ["evidence"] = evidence,
            });
        }

        root["candidates"] = candidates;
        if (analysis.Ranking.Candidates > suspects.Count)
        {
            truncated.Add($"candidates: {suspects.Count} of {analysis.Ranking.Candidates} shown (the best ranked)");
        }

        var changes = new JsonArray();
        foreach (var c in context.Changes.Take(limits.Changes))
        {
            changes.Add(new JsonObject
            {
                ["time"] = RootCauseRanker.Time(c.TimeUnixNano),
                ["urn"] = c.Urn,
                ["kind"] = c.Kind,
                ["before"] = c.Before is null ? null : Cut(c.Before, limits.Field),
                ["after"] = c.After is null ? null : Cut(c.After, limits.Field),
                ["description"] = Cut(c.Description, limits.Field),
            });
        }

        root["changes"] = changes;
        if (context.Changes.Count > limits.Changes)
        {
            truncated.Add($"changes: {limits.Changes} of {context.Changes.Count} shown (the earliest)");
        }

        var timeline = new JsonArray();
        var entries = context.Timeline;
        var head = (limits.Timeline + 1) / 2;
        var keep = entries.Count <= limits.Timeline ? entries : [.. entries.Take(head), .. entries.Skip(entries.Count - (limits.Timeline - head))];
        foreach (var t in keep)
        {
            timeline.Add(new JsonObject
            {
                ["time"] = RootCauseRanker.Time(t.TimeUnixNano),
                ["urn"] = t.Urn,
                ["kind"] = t.Kind,
                ["summary"] = Cut(t.Summary, limits.Field),
            });
        }

        root["timeline"] = timeline;
        if (entries.Count > limits.Timeline)
        {
            truncated.Add($"timeline: {limits.Timeline} of {entries.Count} entries shown (the earliest and the latest)");
        }

        root["blast_radius"] = new JsonArray([.. analysis.BlastRadius.Take(limits.Blast).Select(u => (JsonNode?)u)]);
        if (analysis.BlastRadius.Count > limits.Blast)
        {
            truncated.Add($"blast radius: {limits.Blast} of {analysis.BlastRadius.Count} assets shown");
        }

        if (context.Notes.Count > 0)
        {
            root["analysis_bounds"] = new JsonArray([.. context.Notes.Select(n => (JsonNode?)n)]);
        }

        if (truncated.Count > 0)
        {
            root["truncated"] = new JsonArray([.. truncated.Select(n => (JsonNode?)n)]);
        }

        return "Context (JSON):\n" + root.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            + "\nAnswer with the JSON object only.";
    }

    private static JsonObject Evidence(Evidence e, int field)
    {
        var node = new JsonObject { ["type"] = e.Type, ["reference"] = Cut(e.Reference, field) };
        if (e.Observed is { } o && double.IsFinite(o))
        {
            node["observed"] = o;
        }

        if (e.Expected is { } x && double.IsFinite(x))
        {
            node["expected"] = x;
        }

        if (e.Detail is { } d)
        {
            node["detail"] = Cut(d, field);
        }

        return node;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private sealed record Limits(int Timeline, int Evidence, int Changes, int Blast, int Field)
    {
        public bool IsMinimal => Timeline <= 4 && Evidence <= 1 && Changes <= 2 && Blast <= 5 && Field <= 80;

        public Limits Shrink() =>
            Timeline > 4 ? this with { Timeline = Math.Max(4, Timeline / 2) }
            : Evidence > 1 ? this with { Evidence = Math.Max(1, Evidence / 2) }
            : Changes > 2 ? this with { Changes = Math.Max(2, Changes / 2) }
            : Blast > 5 ? this with { Blast = Math.Max(5, Blast / 2) }
            : this with { Field = Math.Max(80, Field / 2) };
    }
}
