namespace Autopilot.Agents.Scout.Scanning;

/// <summary>
/// Resolves every symbolic link in a path, component by component (like realpath(3)), so a link whose
/// target walks through another link cannot pass for a path inside the repository.
/// </summary>
internal static class PathResolver
{
    /// <summary>Linux gives up after 40 links (ELOOP); so do we.</summary>
    private const int MaxLinks = 40;

    /// <summary>The absolute path with no link left in it; null for a loop. Missing components are kept as written.</summary>
    public static string? RealPath(string absolutePath)
    {
        var pending = new Stack<string>();
        PushComponents(pending, absolutePath);
        var current = Path.GetPathRoot(absolutePath) ?? "/";
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                target = null;
            }
            catch (UnauthorizedAccessException)
            {
                target = null;
            }

            if (target is null)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                return null;
            }

            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target) ?? "/";
            }

            PushComponents(pending, target);
        }

        return current;
    }

    /// <summary>Whether <paramref name="path"/> (already resolved) is <paramref name="root"/> or below it.</summary>
    public static bool IsInside(string path, string root) =>
        path == root || (path.Length > root.Length && path.StartsWith(root, StringComparison.Ordinal) && (path[root.Length] == Path.DirectorySeparatorChar || root.EndsWith(Path.DirectorySeparatorChar)));

    private static void PushComponents(Stack<string> pending, string path)
    {
        // Pushed in reverse so the first component is popped first.
        var parts = path.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var rooted = Path.GetPathRoot(path);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (i == 0 && rooted is { Length: > 1 } && parts[0].EndsWith(':'))
            {
                continue; // A Windows drive is the root itself, not a component.
            }

            pending.Push(parts[i]);
        }
    }
}
