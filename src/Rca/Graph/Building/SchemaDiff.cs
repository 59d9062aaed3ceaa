using System.Text;

namespace Autopilot.Rca.Graph.Building;

/// <summary>Describes a schema change from the <c>schema.fields</c> lists (<c>name:type,…</c>, parts percent-encoded) of two versions.</summary>
internal static class SchemaDiff
{
    private const int MaxNamed = 8;

    public static string Describe(string dataset, string? before, string? after, string oldFingerprint, string newFingerprint)
    {
        if (before is null || after is null)
        {
            return $"{dataset} schema changed (fingerprint {oldFingerprint} → {newFingerprint})";
        }

        var old = Parse(before);
        var now = Parse(after);
        var added = new List<string>();
        var removed = new List<string>();
        var retyped = new List<string>();
        foreach (var (name, type) in now)
        {
            if (!old.TryGetValue(name, out var was))
            {
                added.Add(type.Length > 0 ? $"{name} ({type})" : name);
            }
            else if (!string.Equals(was, type, StringComparison.Ordinal))
            {
                retyped.Add($"{name} {was} → {type}");
            }
        }

        foreach (var name in old.Keys)
        {
            if (!now.ContainsKey(name))
            {
                removed.Add(name);
            }
        }

        var sb = new StringBuilder(dataset).Append(" schema changed:");
        var any = Part(sb, "added", added, first: true);
        any = Part(sb, "removed", removed, !any) || any;
        any = Part(sb, "retyped", retyped, !any) || any;
        if (!any)
        {
            sb.Append(" field order (fingerprint ").Append(oldFingerprint).Append(" → ").Append(newFingerprint).Append(')');
        }

        return sb.ToString();
    }

    private static bool Part(StringBuilder sb, string label, List<string> items, bool first)
    {
        if (items.Count == 0)
        {
            return false;
        }

        sb.Append(first ? " " : "; ").Append(label).Append(' ');
        for (var i = 0; i < Math.Min(items.Count, MaxNamed); i++)
        {
            sb.Append(i > 0 ? ", " : string.Empty).Append(items[i]);
        }

        if (items.Count > MaxNamed)
        {
            sb.Append(" and ").Append(items.Count - MaxNamed).Append(" more");
        }

        return true;
    }

    private static Dictionary<string, string> Parse(string fields)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in fields.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = field.IndexOf(':', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(colon < 0 ? field : field[..colon]);
            var type = colon < 0 ? string.Empty : Uri.UnescapeDataString(field[(colon + 1)..]);
            result.TryAdd(name, type);
        }

        return result;
    }
}
