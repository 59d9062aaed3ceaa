namespace Autopilot.Agents.Scout;

/// <summary>One observability gap.</summary>
/// <param name="Id">Stable within a plan and across scans of the same tree: <c>&lt;type&gt;:&lt;service&gt;[:&lt;subject&gt;]</c>.</param>
/// <param name="Type">Which gap.</param>
/// <param name="Service">The service name; null for a repository-wide gap.</param>
/// <param name="ServicePath">The service root, repository-relative; null for a repository-wide gap.</param>
/// <param name="Summary">One sentence for a developer.</param>
/// <param name="Evidence">Where it was looked for and what was (not) found; never empty.</param>
/// <param name="Confidence">0..1: how sure Scout is that the gap is real.</param>
public sealed record Gap(
    string Id,
    GapType Type,
    string? Service,
    string? ServicePath,
    string Summary,
    IReadOnlyList<Evidence> Evidence,
    double Confidence);
