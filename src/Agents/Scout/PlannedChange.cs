namespace Autopilot.Agents.Scout;

/// <summary>One template application PR Author should make to close a gap.</summary>
/// <param name="Id">Stable id, <c>&lt;gap id&gt;/&lt;template id&gt;</c>.</param>
/// <param name="GapId">The <see cref="Gap.Id"/> this closes.</param>
/// <param name="TemplateId"><c>&lt;stack&gt;/&lt;name&gt;</c>, a folder under <c>templates/</c>; see <see cref="TemplateIds"/>.</param>
/// <param name="Service">The service it applies to; null for repository-wide changes.</param>
/// <param name="TargetFiles">Files created or modified, repository-relative.</param>
/// <param name="Variables">Template variables (string values; lists are comma-separated). See <see cref="TemplateIds"/> for which ones each template gets.</param>
public sealed record PlannedChange(
    string Id,
    string GapId,
    string TemplateId,
    string? Service,
    IReadOnlyList<string> TargetFiles,
    IReadOnlyDictionary<string, string> Variables);
