namespace Autopilot.Agents.Author;

/// <summary>One file a template creates or edits.</summary>
internal sealed class TemplateFileSpec
{
    /// <summary>Repository-relative target (Handlebars).</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>File in the template folder rendered as the content (or the fragment an edit adds).</summary>
    public string? Source { get; set; }

    /// <summary>How the rendered text is applied; see <see cref="EditKinds"/>.</summary>
    public string Edit { get; set; } = EditKinds.Create;

    /// <summary>Apply only when this variable is non-empty (and not <c>false</c>).</summary>
    public string? When { get; set; }

    /// <summary>Apply only when this variable is empty or <c>false</c>.</summary>
    public string? Unless { get; set; }

    /// <summary><c>insert</c>: a regular expression (Handlebars first) for the line to insert after; none = at the top.</summary>
    public string? Anchor { get; set; }

    /// <summary><c>insert</c>/<c>append</c>: skip when the file already contains this text (Handlebars).</summary>
    public string? Marker { get; set; }

    /// <summary><c>insert</c>: when the anchor is not found the change still succeeds and <see cref="Note"/> goes into the pull-request body.</summary>
    public bool Optional { get; set; }

    /// <summary>Guidance used when an optional insert could not be made (Handlebars).</summary>
    public string? Note { get; set; }
}
