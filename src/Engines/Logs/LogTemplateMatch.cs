namespace Autopilot.Engines.Logs;

/// <summary>The template a line was assigned to when it arrived.</summary>
/// <param name="TemplateId">Stable id of the template: it never changes while the template is kept, also across snapshots.</param>
/// <param name="Template">The template's current text; variables read <c>&lt;*&gt;</c>. Later lines may generalize it.</param>
/// <param name="IsNew">True when this line created the template (a never-seen-before log template).</param>
public readonly record struct LogTemplateMatch(int TemplateId, string Template, bool IsNew);
