namespace Autopilot.Agents.Author;

/// <summary>One file spec with its path, content, anchor, marker and note compiled.</summary>
internal sealed record CompiledTemplateFile(
    TemplateFileSpec Spec,
    Func<object, string> Path,
    Func<object, string>? Content,
    Func<object, string>? Anchor,
    Func<object, string>? Marker,
    Func<object, string>? Note);
