namespace Autopilot.Agents.Author;

/// <summary>
/// <c>templates/&lt;stack&gt;/&lt;name&gt;/template.yaml</c>: what a template writes and how. Every text in it is a
/// Handlebars template rendered with the change's variables (see README, "PR Author").
/// </summary>
internal sealed class TemplateManifest
{
    /// <summary>Commit subject after the service name, e.g. <c>start OpenTelemetry</c>.</summary>
    public string Title { get; set; } = string.Empty;

    public string? Description { get; set; }

    /// <summary>Variables that must be non-empty; a change without one fails naming it.</summary>
    public List<string> Requires { get; set; } = [];

    public List<TemplateFileSpec> Files { get; set; } = [];

    /// <summary>Markdown for the pull-request body: what the developer still has to do by hand.</summary>
    public string? Guidance { get; set; }

    /// <summary>Shell commands for the pull-request body's "How to verify", one per line.</summary>
    public string? Verify { get; set; }
}
