using System.Text.Json;
using Autopilot.Agents.Scout;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Autopilot.Agents.Author;

/// <summary>
/// Reads a Diff Plan for PR Author: valid JSON, valid against the published schema (embedded from
/// <c>schemas/diff-plan.schema.json</c>), and consistent (every change names a gap of the plan, ids are unique).
/// Every problem is reported, one line each, so a bad plan is fixed in one go.
/// </summary>
public static class PlanReader
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    /// <summary>The plan, or null with the problems.</summary>
    public static DiffPlan? Read(string json, out IReadOnlyList<string> problems)
    {
        var list = new List<string>();
        problems = list;
        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            list.Add($"not JSON: {e.Message}");
            return null;
        }

        foreach (var error in Schema.Value.Validate(json))
        {
            Describe(error, list);
        }

        if (list.Count > 0)
        {
            return null;
        }

        DiffPlan plan;
        try
        {
            plan = DiffPlanJson.Deserialize(json);
        }
        catch (JsonException e)
        {
            list.Add(e.Message);
            return null;
        }

        var gapIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var gap in plan.Gaps)
        {
            if (!gapIds.Add(gap.Id))
            {
                list.Add($"gaps: id '{gap.Id}' appears twice.");
            }
        }

        var changeIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.PlannedChanges.Count; i++)
        {
            var change = plan.PlannedChanges[i];
            if (!gapIds.Contains(change.GapId))
            {
                list.Add($"planned_changes[{i}].gap_id: '{change.GapId}' is not the id of a gap in this plan.");
            }

            if (!changeIds.Add(change.Id))
            {
                list.Add($"planned_changes[{i}].id: '{change.Id}' appears twice.");
            }
        }

        return list.Count == 0 ? plan : null;
    }

    private static void Describe(ValidationError error, List<string> list)
    {
        if (error is ChildSchemaValidationError child)
        {
            // oneOf/anyOf failures: the nested errors say what is actually wrong.
            foreach (var nested in child.Errors.SelectMany(e => e.Value))
            {
                Describe(nested, list);
            }

            if (child.Errors.Count > 0)
            {
                return;
            }
        }

        var path = string.IsNullOrEmpty(error.Path) ? "#" : error.Path;
        var line = error.HasLineInfo ? $" (line {error.LineNumber})" : string.Empty;
        var text = $"{path}: {error.Kind}{line}";
        if (!list.Contains(text, StringComparer.Ordinal))
        {
            list.Add(text);
        }
    }

    private static JsonSchema LoadSchema()
    {
        using var stream = typeof(PlanReader).Assembly.GetManifestResourceStream("Autopilot.Agents.diff-plan.schema.json")
            ?? throw new InvalidOperationException("the embedded diff-plan schema is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return JsonSchema.FromJsonAsync(reader.ReadToEnd()).GetAwaiter().GetResult();
    }
}
