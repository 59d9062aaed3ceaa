using System.Text;
using System.Text.RegularExpressions;
using Autopilot.Agents.Author.Edits;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Author;

/// <summary>
/// Applies one planned change to a work tree: renders its template with the change's variables and creates or edits
/// each file. Every edit is idempotent, so applying a change whose result is already there writes nothing.
/// Failures are exceptions (<see cref="TemplateException"/>, <see cref="EditException"/>, <see cref="IOException"/>)
/// whose message names the file and the problem.
/// </summary>
internal sealed class ChangeApplier(TemplateCatalog catalog)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <param name="plan">The plan the change belongs to (for the service's archetype and the gap).</param>
    /// <param name="change">The change.</param>
    /// <param name="root">The folder plan paths are relative to (inside the work tree).</param>
    public ChangeResult Apply(DiffPlan plan, PlannedChange change, string root)
    {
        var template = catalog.Get(change.TemplateId);
        var vars = TemplateVariables.Build(plan, change, root);
        var missing = template.Manifest.Requires.Where(r => TemplateVariables.Text(vars, r).Length == 0).ToList();
        if (missing.Count > 0)
        {
            throw new TemplateException($"{change.TemplateId} needs {string.Join(", ", missing)}, which the plan leaves empty for {change.Id}.");
        }

        var written = new List<string>();
        var notes = new List<string>();
        foreach (var file in template.Files)
        {
            var spec = file.Spec;
            if ((spec.When is not null && !TemplateVariables.IsSet(vars, spec.When)) || (spec.Unless is not null && TemplateVariables.IsSet(vars, spec.Unless)))
            {
                continue;
            }

            var relative = SafeRelative(file.Path(vars), change.TemplateId);
            var full = Path.Combine(root, relative);
            RefuseLinks(root, relative);
            var existing = File.Exists(full) ? File.ReadAllText(full) : null;
            // An insert's block is rendered once its anchor matched (the block may use the anchor's groups).
            var content = spec.Edit == EditKinds.Insert ? string.Empty : file.Content!(vars);
            var marker = file.Marker?.Invoke(vars) ?? string.Empty;
            string? updated;
            switch (spec.Edit)
            {
                case EditKinds.Create:
                    updated = Create(existing, content, relative);
                    break;
                case EditKinds.Maven:
                    updated = MavenEdit.Apply(Existing(existing, relative), content, relative);
                    break;
                case EditKinds.Csproj:
                    updated = CsprojEdit.Apply(Existing(existing, relative), content, relative);
                    break;
                case EditKinds.GoMod:
                    updated = GoModEdit.Apply(Existing(existing, relative), content, relative);
                    break;
                case EditKinds.Requirements:
                    updated = RequirementsEdit.Apply(existing, content, relative);
                    break;
                case EditKinds.PackageJson:
                    updated = PackageJsonEdit.Apply(Existing(existing, relative), content, relative);
                    break;
                case EditKinds.Append:
                    updated = marker.Length > 0 && existing is not null && existing.Contains(marker, StringComparison.Ordinal)
                        ? null
                        : TextLayout.EnsureFinalNewLine(existing ?? string.Empty, "\n") + content;
                    break;
                case EditKinds.Insert:
                    if (existing is null)
                    {
                        if (!spec.Optional)
                        {
                            throw new EditException($"{relative} does not exist; {change.TemplateId} inserts into it.");
                        }

                        notes.Add(Note(file, vars, relative, "does not exist"));
                        continue;
                    }

                    var anchorText = file.Anchor?.Invoke(vars);
                    var anchor = anchorText is null ? null : new Regex(anchorText, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    var result = InsertEdit.Apply(existing, anchor, marker, m => file.Content!(WithGroups(vars, m)));
                    if (result.Status == InsertStatus.AnchorMissing)
                    {
                        if (!spec.Optional)
                        {
                            throw new EditException($"{relative}: no line matches /{anchorText}/; {change.TemplateId} inserts after it.");
                        }

                        notes.Add(Note(file, vars, relative, $"has no line matching /{anchorText}/"));
                        continue;
                    }

                    updated = result.Text;
                    break;
                default:
                    throw new TemplateException($"{change.TemplateId}: edit '{spec.Edit}' is not supported.");
            }

            if (updated is not null && updated != existing)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, updated, Utf8);
                if (!written.Contains(relative, StringComparer.Ordinal))
                {
                    written.Add(relative);
                }
            }
        }

        var verify = template.Verify?.Invoke(vars).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        return new ChangeResult(change.Id, change.TemplateId, template.Title(vars).Trim(), written, notes, template.Guidance?.Invoke(vars).Trim() ?? string.Empty, verify);
    }

    /// <summary>
    /// A created file replaces an existing one only when autopilot wrote that one (a developer's own RUNBOOK.md is never
    /// overwritten), and only when its content differs.
    /// </summary>
    private static string? Create(string? existing, string content, string relative)
    {
        if (existing is null)
        {
            return content;
        }

        if (existing == content)
        {
            return null;
        }

        if (!existing.Contains(EditKinds.GeneratedMarker, StringComparison.Ordinal))
        {
            throw new EditException($"{relative} already exists and was not written by autopilot author; it is left alone (move it away or drop this change from the plan).");
        }

        return content;
    }

    private static string Existing(string? existing, string relative) =>
        existing ?? throw new EditException($"{relative} does not exist; the plan names it as the build file.");

    private static string Note(CompiledTemplateFile file, Dictionary<string, object> vars, string relative, string why) =>
        $"{relative} {why}: " + (file.Note?.Invoke(vars).Trim() ?? "make this change by hand.");

    private static Dictionary<string, object> WithGroups(Dictionary<string, object> vars, Match? match)
    {
        if (match is null)
        {
            return vars;
        }

        var copy = new Dictionary<string, object>(vars, StringComparer.Ordinal);
        for (var i = 1; i < match.Groups.Count; i++)
        {
            copy["anchor_" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = match.Groups[i].Value;
        }

        return copy;
    }

    /// <summary>A rendered path must stay inside the repository: relative, forward slashes, no <c>..</c>.</summary>
    internal static string SafeRelative(string rendered, string templateId)
    {
        var parts = rendered.Trim().Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".").ToList();
        if (parts.Count == 0 || rendered.TrimStart().StartsWith('/') || parts.Any(p => p == ".." || p.Contains(':', StringComparison.Ordinal)))
        {
            throw new TemplateException($"{templateId} renders the path '{rendered}', which is not a file inside the repository.");
        }

        return string.Join('/', parts);
    }

    /// <summary>Symbolic links are not followed: a link in the plan's path could point the write outside the repository.</summary>
    private static void RefuseLinks(string root, string relative)
    {
        var path = root;
        foreach (var part in relative.Split('/'))
        {
            path = Path.Combine(path, part);
            var info = new FileInfo(path);
            if (info.Exists || Directory.Exists(path))
            {
                if (info.LinkTarget is not null || new DirectoryInfo(path).LinkTarget is not null)
                {
                    throw new EditException($"{relative}: {Path.GetRelativePath(root, path)} is a symbolic link; autopilot author does not write through links.");
                }
            }
        }
    }
}
