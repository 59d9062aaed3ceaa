using System.IO.Enumeration;

namespace Autopilot.Agents.Scout.Scanning;

/// <summary>
/// Lists a repository's files in one pass, without reading any. Skips vendored, generated and tool folders;
/// never follows a symbolic link to a folder (a cycle or an escape cannot happen), and follows a link to a
/// file only when its fully resolved target lies inside the repository.
/// </summary>
internal static class RepoWalker
{
    /// <summary>Deeper than any real repository; bounds the walk even on a pathological tree.</summary>
    private const int MaxDepth = 128;

    private static readonly EnumerationOptions ListOnce = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0, // dot-files such as .env matter; dot-folders are skipped by name
        ReturnSpecialDirectories = false,
    };

    public static WalkResult Walk(string root, string realRoot, ScoutProgress? progress, CancellationToken cancellationToken)
    {
        var files = new List<RepoFile>(1024);
        var escaping = new List<string>();
        int skipped = 0, innerLinks = 0, unreadable = 0;
        var pending = new Stack<(string Full, string Rel, int Depth)>();
        pending.Push((root, RepoPaths.Root, 0));
        var entries = new List<Entry>(64);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (dirFull, dirRel, depth) = pending.Pop();
            entries.Clear();
            try
            {
                var listing = new FileSystemEnumerable<Entry>(dirFull, static (ref FileSystemEntry e) =>
                    new Entry(e.FileName.ToString(), e.IsDirectory, (e.Attributes & FileAttributes.ReparsePoint) != 0, e.IsDirectory ? 0 : e.Length), ListOnce);
                entries.AddRange(listing);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                unreadable++;
                continue;
            }

            if (dirRel != RepoPaths.Root && entries.Exists(static e => !e.IsDirectory && e.Name == FileClassifier.VirtualEnvMarker))
            {
                skipped++;
                continue;
            }

            foreach (var entry in entries)
            {
                var rel = RepoPaths.Join(dirRel, entry.Name);
                var full = Path.Join(dirFull, entry.Name);
                if (entry.IsLink)
                {
                    var real = PathResolver.RealPath(full);
                    if (real is null || !PathResolver.IsInside(real, realRoot))
                    {
                        escaping.Add(rel);
                        continue;
                    }

                    if (entry.IsDirectory || Directory.Exists(real))
                    {
                        innerLinks++;
                        continue;
                    }

                    if (!File.Exists(real))
                    {
                        continue; // dangling link inside the repository: nothing to read
                    }

                    AddFile(files, rel, full, SafeLength(real));
                    continue;
                }

                if (entry.IsDirectory)
                {
                    if (FileClassifier.IsSkippedDirectory(entry.Name) || depth + 1 > MaxDepth)
                    {
                        skipped++;
                        continue;
                    }

                    pending.Push((full, rel, depth + 1));
                    continue;
                }

                AddFile(files, rel, full, entry.Length);
            }

            progress?.SetFilesSeen(files.Count);
        }

        return new WalkResult(files, skipped, escaping, innerLinks, unreadable);
    }

    private static void AddFile(List<RepoFile> files, string rel, string full, long length)
    {
        var (kind, isTest) = FileClassifier.Classify(rel);
        files.Add(new RepoFile(rel, full, length, kind, isTest));
    }

    private static long SafeLength(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink, long Length);
}
