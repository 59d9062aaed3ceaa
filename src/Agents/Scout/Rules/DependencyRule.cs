namespace Autopilot.Agents.Scout.Rules;

/// <summary>A dependency id (exact, or a prefix when it ends with <c>*</c>) and what it means.</summary>
internal sealed record DependencyRule(string Pattern, Facet Facet, string? Value = null)
{
    public bool Matches(string id) => Pattern.EndsWith('*')
        ? id.AsSpan().StartsWith(Pattern.AsSpan(0, Pattern.Length - 1), StringComparison.OrdinalIgnoreCase)
        : string.Equals(id, Pattern, StringComparison.OrdinalIgnoreCase);
}
