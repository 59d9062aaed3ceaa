namespace Autopilot.Agents.Author;

/// <summary>A loaded template: its manifest and every text in it compiled.</summary>
internal sealed record AuthorTemplate(
    string Id,
    string Directory,
    TemplateManifest Manifest,
    Func<object, string> Title,
    IReadOnlyList<CompiledTemplateFile> Files,
    Func<object, string>? Guidance,
    Func<object, string>? Verify);
