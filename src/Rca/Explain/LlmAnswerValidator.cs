using System.Text.Json;
using Autopilot.Rca.Answers;

namespace Autopilot.Rca.Explain;

/// <summary>
/// Checks a model's answer against schemas/rca-explanation.schema.json (hand-written here, so every rule names
/// the JSON path it broke) and against the analysis: a root cause must be one of the ranked candidates, an
/// action's target a URN the context knows. The model may wrap the object in a code fence; nothing else is forgiven.
/// </summary>
internal static class LlmAnswerValidator
{
    private static readonly string[] TopLevel = ["summary", "root_causes", "actions", "next_checks", "stakeholder_update"];
    private static readonly string[] CauseFields = ["urn", "reasons"];
    private static readonly string[] ActionFields = ["action", "target", "rationale", "risk"];

    public static bool TryParse(string? text, Analysis analysis, out LlmExplanation? explanation, out string error)
    {
        explanation = null;
        try
        {
            explanation = Parse(text, analysis);
            error = string.Empty;
            return true;
        }
        catch (InvalidAnswerException e)
        {
            error = e.Message;
            return false;
        }
    }

    private static LlmExplanation Parse(string? text, Analysis analysis)
    {
        var json = Unfence(text ?? string.Empty);
        if (json.Length == 0)
        {
            throw new InvalidAnswerException("the answer is empty");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidAnswerException($"the answer is not JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidAnswerException($"the answer is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object");
            }

            OnlyKnown(root, "$", TopLevel);
            var candidates = analysis.Ranking.Suspects.Select(s => s.Urn).ToHashSet(StringComparer.Ordinal);
            var known = KnownUrns(analysis);

            var summary = Text(root, "summary", "$", 2000);
            var causes = new List<(string, IReadOnlyList<string>)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var causeArray = Array(root, "root_causes", "$", 1, 5);
            for (var i = 0; i < causeArray.Count; i++)
            {
                var path = $"$.root_causes[{i}]";
                var item = Object(causeArray[i], path);
                OnlyKnown(item, path, CauseFields);
                var urn = Text(item, "urn", path, 1000);
                if (!candidates.Contains(urn))
                {
                    throw new InvalidAnswerException($"{path}.urn '{Short(urn)}' is not one of the candidates ({string.Join(", ", candidates)})");
                }

                if (!seen.Add(urn))
                {
                    throw new InvalidAnswerException($"{path}.urn '{Short(urn)}' is listed twice");
                }

                causes.Add((urn, Strings(item, "reasons", path, 1, 8, 500)));
            }

            var actions = new List<RecommendedAction>();
            var actionArray = Array(root, "actions", "$", 1, 5);
            for (var i = 0; i < actionArray.Count; i++)
            {
                var path = $"$.actions[{i}]";
                var item = Object(actionArray[i], path);
                OnlyKnown(item, path, ActionFields);
                var action = Text(item, "action", path, 20) switch
                {
                    "RESTART" => ActionType.Restart,
                    "SCALE_OUT" => ActionType.ScaleOut,
                    "ROLLBACK" => ActionType.Rollback,
                    "IGNORE" => ActionType.Ignore,
                    "INVESTIGATE" => ActionType.Investigate,
                    var other => throw new InvalidAnswerException($"{path}.action '{Short(other)}' is not one of RESTART, SCALE_OUT, ROLLBACK, IGNORE, INVESTIGATE"),
                };
                var target = Text(item, "target", path, 1000);
                if (!known.Contains(target))
                {
                    throw new InvalidAnswerException($"{path}.target '{Short(target)}' is not a URN of the context");
                }

                var rationale = Text(item, "rationale", path, 1000);
                var risk = Text(item, "risk", path, 10);
                if (risk is not ("low" or "medium" or "high"))
                {
                    throw new InvalidAnswerException($"{path}.risk '{Short(risk)}' is not one of low, medium, high");
                }

                actions.Add(new RecommendedAction(action, target, rationale, risk));
            }

            var checks = Strings(root, "next_checks", "$", 0, 10, 500);
            var update = Text(root, "stakeholder_update", "$", 2000);
            return new LlmExplanation(summary, causes, actions, checks, update);
        }
    }

    /// <summary>Models often wrap JSON in a markdown fence; take what is inside it.</summary>
    private static string Unfence(string text)
    {
        var t = text.Trim();
        if (t.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = t.IndexOf('\n', StringComparison.Ordinal);
            var close = t.LastIndexOf("```", StringComparison.Ordinal);
            if (firstLine > 0 && close > firstLine)
            {
                return t[(firstLine + 1)..close].Trim();
            }
        }

        return t;
    }

    private static HashSet<string> KnownUrns(Analysis analysis)
    {
        var known = new HashSet<string>(analysis.Context.Graph.Urns, StringComparer.Ordinal);
        known.UnionWith(analysis.BlastRadius);
        foreach (var f in analysis.Context.Findings)
        {
            known.Add(f.Urn);
        }

        foreach (var c in analysis.Context.Changes)
        {
            known.Add(c.Urn);
        }

        return known;
    }

    private static void OnlyKnown(JsonElement obj, string path, string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (System.Array.IndexOf(allowed, p.Name) < 0)
            {
                throw new InvalidAnswerException($"{path}.{p.Name} is not allowed (allowed: {string.Join(", ", allowed)})");
            }
        }

        foreach (var name in allowed)
        {
            if (!obj.TryGetProperty(name, out _))
            {
                throw new InvalidAnswerException($"{path}.{name} is missing");
            }
        }
    }

    private static JsonElement Object(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object ? e : throw new InvalidAnswerException($"{path} must be an object");

    private static string Text(JsonElement obj, string name, string path, int max)
    {
        var e = obj.GetProperty(name);
        if (e.ValueKind != JsonValueKind.String)
        {
            throw new InvalidAnswerException($"{path}.{name} must be a string");
        }

        var s = e.GetString()!.Trim();
        if (s.Length == 0)
        {
            throw new InvalidAnswerException($"{path}.{name} is empty");
        }

        return s.Length <= max ? s : throw new InvalidAnswerException($"{path}.{name} is longer than {max} characters");
    }

    private static List<JsonElement> Array(JsonElement obj, string name, string path, int min, int max)
    {
        var e = obj.GetProperty(name);
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidAnswerException($"{path}.{name} must be an array");
        }

        var items = e.EnumerateArray().ToList();
        return items.Count < min || items.Count > max
            ? throw new InvalidAnswerException($"{path}.{name} must have {min} to {max} items, has {items.Count}")
            : items;
    }

    private static List<string> Strings(JsonElement obj, string name, string path, int min, int max, int maxLength)
    {
        var items = Array(obj, name, path, min, max);
        var result = new List<string>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i].ValueKind != JsonValueKind.String || items[i].GetString()!.Trim() is not { Length: > 0 } s)
            {
                throw new InvalidAnswerException($"{path}.{name}[{i}] must be a non-empty string");
            }

            result.Add(s.Length <= maxLength ? s : throw new InvalidAnswerException($"{path}.{name}[{i}] is longer than {maxLength} characters"));
        }

        return result;
    }

    private static string Short(string s) => s.Length <= 80 ? s : s[..79] + "…";

    private sealed class InvalidAnswerException(string message) : Exception(message);
}
