namespace Autopilot.Engines.Anomaly;

/// <summary>URN patterns of rules and SLOs: exact, <c>prefix*</c>, <c>*suffix</c> or <c>*</c>.</summary>
public static class UrnPattern
{
    public static bool IsValid(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            return false;
        }

        var stars = pattern.AsSpan().Count('*');
        return stars == 0 || (stars == 1 && (pattern[0] == '*' || pattern[^1] == '*'));
    }

    public static bool Matches(string pattern, string urn)
    {
        if (pattern.Length == 1 && pattern[0] == '*')
        {
            return true;
        }

        if (pattern[^1] == '*')
        {
            return urn.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal);
        }

        if (pattern[0] == '*')
        {
            return urn.AsSpan().EndsWith(pattern.AsSpan(1), StringComparison.Ordinal);
        }

        return string.Equals(pattern, urn, StringComparison.Ordinal);
    }
}
