using Autopilot.Agents.Gate.Compatibility;
using Autopilot.Agents.Gate.Git;
using Autopilot.Agents.Gate.Policy;

namespace Autopilot.Agents.Gate.Analysis;

/// <summary>
/// Pairs schema files of the base commit and the working tree by path and checks each changed pair at the level
/// the policy gives its subject (default BACKWARD). _TRANSITIVE levels also compare against every earlier version
/// of the file in the base's history (up to <c>schemas.transitive_history</c> commits). Unchanged files are not
/// parsed; a changed or added file that does not parse is a usage error (exit 2) naming the file and line.
/// </summary>
internal static class SchemaAnalysis
{
    public static async Task<List<SchemaFileResult>> RunAsync(GitRepository git, Workspace workspace, BaseSnapshot baseSnapshot, GatePolicy policy, CancellationToken cancellationToken)
    {
        var results = new List<SchemaFileResult>();
        var errors = new List<string>();
        var toCompare = new List<(string Path, SchemaFormat Format, CompatibilityLevel Level, ParsedSchema Head)>();
        foreach (var path in workspace.Files)
        {
            if (!policy.IsSchema(path) || SchemaCompatibility.FormatOf(path) is not { } format)
            {
                continue;
            }

            var level = policy.CompatibilityFor(path);
            var text = workspace.Read(path);
            if (text is null)
            {
                errors.Add($"{path}: cannot be read (larger than {Workspace.MaxReadBytes / (1024 * 1024)} MiB or unreadable)");
                continue;
            }

            baseSnapshot.Texts.TryGetValue(path, out var baseText);
            if (baseText is not null && string.Equals(baseText, text, StringComparison.Ordinal))
            {
                results.Add(new SchemaFileResult(path, format, level, SchemaFileState.Unchanged));
                continue;
            }

            ParsedSchema head;
            try
            {
                head = SchemaCompatibility.Parse(format, text, path);
            }
            catch (SchemaParseException e)
            {
                errors.Add(e.Message);
                continue;
            }

            if (baseText is null)
            {
                results.Add(new SchemaFileResult(path, format, level, SchemaFileState.Added));
            }
            else if (level != CompatibilityLevel.None)
            {
                toCompare.Add((path, format, level, head));
            }
            else
            {
                results.Add(new SchemaFileResult(path, format, level, SchemaFileState.Compared) { Note = "compatibility NONE: not compared" });
            }
        }

        if (errors.Count > 0)
        {
            throw new GateUsageException(string.Join('\n', errors.Select(e => "schema: " + e)));
        }

        var history = await TransitiveVersionsAsync(git, baseSnapshot, policy, toCompare.Where(c => c.Level.IsTransitive()).Select(c => c.Path).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var (path, format, level, head) in toCompare)
        {
            var versions = new List<(string Label, string Text)> { (baseSnapshot.Revision, baseSnapshot.Texts[path]) };
            if (history.TryGetValue(path, out var earlier))
            {
                versions.AddRange(earlier.Where(v => !string.Equals(v.Text, versions[0].Text, StringComparison.Ordinal)));
            }

            SchemaFileResult? result = null;
            var compared = 0;
            foreach (var (label, oldText) in versions)
            {
                ParsedSchema old;
                try
                {
                    old = SchemaCompatibility.Parse(format, oldText, $"{label}:{path}");
                }
                catch (SchemaParseException e)
                {
                    if (compared == 0 && result is null)
                    {
                        result = new SchemaFileResult(path, format, level, SchemaFileState.BaseUnreadable) { Note = $"the base version does not parse ({e.Problem}); nothing to compare against" };
                    }

                    continue;
                }

                compared++;
                result ??= new SchemaFileResult(path, format, level, SchemaFileState.Compared) { VersionsCompared = versions.Count };
                foreach (var f in SchemaCompatibility.Check(old, head, level))
                {
                    // A transitive finding already seen against a newer version adds nothing.
                    if (!result.Found.Any(x => x.Rule == f.Rule && x.Path == f.Path && x.Direction == f.Direction))
                    {
                        result.Found.Add(label == baseSnapshot.Revision ? f : f with { Message = $"{f.Message}, against the version at {label}" });
                    }
                }
            }

            results.Add(result!);
        }

        foreach (var path in baseSnapshot.Texts.Keys)
        {
            if (policy.IsSchema(path) && SchemaCompatibility.FormatOf(path) is { } format && !workspace.FileSet.Contains(path))
            {
                results.Add(new SchemaFileResult(path, format, policy.CompatibilityFor(path), SchemaFileState.Deleted));
            }
        }

        return results;
    }

    private static async Task<Dictionary<string, List<(string Label, string Text)>>> TransitiveVersionsAsync(
        GitRepository git, BaseSnapshot baseSnapshot, GatePolicy policy, List<string> paths, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<(string, string)>>(StringComparer.Ordinal);
        if (paths.Count == 0)
        {
            return result;
        }

        var history = await git.HistoryAsync(baseSnapshot.Commit, paths, policy.TransitiveHistory, cancellationToken).ConfigureAwait(false);
        var blobs = await git.ReadBlobsAsync(history.Values.SelectMany(v => v.Select(x => x.Blob)).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        foreach (var (path, versions) in history)
        {
            result[path] = versions.Where(v => blobs.ContainsKey(v.Blob)).Select(v => ($"commit {v.Commit[..Math.Min(10, v.Commit.Length)]}", blobs[v.Blob])).ToList();
        }

        return result;
    }
}
