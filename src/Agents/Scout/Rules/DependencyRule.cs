namespace Autopilot.Agents.Scout.Rules;

/// <summary>A dependency id (exact, or a prefix when it ends with <c>*</c>) and what it means.</summary>
/// <param name="Pattern">The id, or a prefix ending with <c>*</c>.</param>
/// <param name="Facet">What the dependency tells.</param>
/// <param name="Value">Facet-specific value.</param>
/// <param name="SelfActivating">
/// For <see cref="Facet.Propagation"/>: the library switches itself on (Spring Boot auto-configuration, the .NET
/// auto-instrumentation). Other instrumentation libraries need code to register them, or Python's
/// <c>opentelemetry-instrument</c> launcher to load them.
/// </param>
internal sealed record DependencyRule(string Pattern, Facet Facet, string? Value = null, bool SelfActivating = false)
{
    public bool Matches(string id) => Pattern.EndsWith('*')
        ? id.AsSpan().StartsWith(Pattern.AsSpan(0, Pattern.Length - 1), StringComparison.OrdinalIgnoreCase)
        : string.Equals(id, Pattern, StringComparison.OrdinalIgnoreCase);
}
