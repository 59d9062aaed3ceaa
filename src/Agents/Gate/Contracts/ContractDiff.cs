using System.Globalization;
using Autopilot.Engines.Contracts;

namespace Autopilot.Agents.Gate.Contracts;

/// <summary>
/// Breaking changes between two versions of a data contract, seen from the consumers who rely on it and the producer
/// who must meet it: a required field removed, a field's type family changed, a required field made optional
/// (consumers may rely on it being there), the dataset renamed, and obligations tightened (fresher data, more rows,
/// a higher objective, new quality rules) that the current producer has not been shown to meet.
/// </summary>
internal static class ContractDiff
{
    public static List<GateFinding> Compare(ContractDocument old, ContractDocument head)
    {
        var findings = new List<GateFinding>();
        var file = head.Path;
        if (!string.Equals(old.Identity, head.Identity, StringComparison.Ordinal))
        {
            findings.Add(new GateFinding(file, head.IdentityLine, "DATASET_CHANGED", $"the contract now describes {head.Identity} instead of {old.Identity}; consumers of {old.Identity} lose their contract", false));
        }

        foreach (var (name, f) in old.Fields)
        {
            if (!head.Fields.TryGetValue(name, out var now))
            {
                if (f.Required)
                {
                    findings.Add(new GateFinding(file, head.IdentityLine, "REQUIRED_FIELD_REMOVED", $"required field '{name}' was removed from the contract of {head.Identity}", false));
                }

                continue;
            }

            if (f.Type is not null && now.Type is not null && ColumnTypes.Family(f.Type) != ColumnTypes.Family(now.Type))
            {
                findings.Add(new GateFinding(file, now.Line, "FIELD_TYPE_CHANGED", $"field '{name}' changed type from {f.Type} to {now.Type}", false));
            }

            if (f.Required && !now.Required)
            {
                findings.Add(new GateFinding(file, now.Line, "FIELD_NO_LONGER_REQUIRED", $"field '{name}' is no longer required; consumers may rely on it being present", false));
            }
        }

        if (head.Freshness is { } fresh && (old.Freshness is not { } was || fresh.Value < was.Value))
        {
            findings.Add(new GateFinding(file, fresh.Line, "FRESHNESS_TIGHTENED",
                $"sla.freshness tightened to {Format(fresh.Value)}" + (old.Freshness is { } w ? $" (was {Format(w.Value)})" : " (was none)") + "; the producer must now deliver fresher data", false));
        }

        if (head.Volume is { } volume && (old.Volume is not { } before || volume.PerHour > before.PerHour))
        {
            findings.Add(new GateFinding(file, volume.Line, "VOLUME_MIN_RAISED",
                $"sla.volume raised to {volume.Text}" + (old.Volume is { } b ? $" (was {b.Text})" : " (was none)"), false));
        }

        if (head.Objective is { } objective && (old.Objective is not { } o || objective.Value > o.Value))
        {
            findings.Add(new GateFinding(file, objective.Line, "OBJECTIVE_RAISED",
                $"slo.objective raised to {objective.Value.ToString(CultureInfo.InvariantCulture)}" + (old.Objective is { } ob ? $" (was {ob.Value.ToString(CultureInfo.InvariantCulture)})" : " (was the default)"), false));
        }

        foreach (var (rule, line) in head.Quality)
        {
            if (!old.Quality.Any(q => q.Rule == rule))
            {
                findings.Add(new GateFinding(file, line, "QUALITY_RULE_ADDED", $"quality rule '{rule}' was added; the producer must now meet it", false));
            }
        }

        return findings;
    }

    private static string Format(TimeSpan t) =>
        t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays) ? $"{t.TotalDays:0}d"
        : t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours) ? $"{t.TotalHours:0}h"
        : t.TotalMinutes >= 1 && t.TotalMinutes == Math.Floor(t.TotalMinutes) ? $"{t.TotalMinutes:0}m"
        : $"{t.TotalSeconds:0}s";
}
