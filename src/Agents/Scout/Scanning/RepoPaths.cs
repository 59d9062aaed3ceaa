namespace Autopilot.Agents.Scout.Scanning;

/// <summary>Repository-relative paths: forward slashes, <c>.</c> for the root, no leading slash.</summary>
internal static class RepoPaths
{
    public const string Root = ".";

    public static string Join(string dir, string name) => dir == Root ? name : dir + "/" + name;

    public static string Parent(string relPath)
    {
        var slash = relPath.LastIndexOf('/');
        return slash < 0 ? Root : relPath[..slash];
    }

    public static string FileName(string relPath)
    {
        var slash = relPath.LastIndexOf('/');
        return slash < 0 ? relPath : relPath[(slash + 1)..];
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="dir"/> or lies below it.</summary>
    public static bool IsUnder(string path, string dir) =>
        dir == Root || path == dir || (path.Length > dir.Length && path[dir.Length] == '/' && path.StartsWith(dir, StringComparison.Ordinal));

    /// <summary><paramref name="path"/> relative to <paramref name="dir"/> (which must contain it).</summary>
    public static string Below(string path, string dir) => dir == Root ? path : path == dir ? Root : path[(dir.Length + 1)..];

    /// <summary>Normalises a relative path written in a file (compose build context, Helm chart path): resolves <c>.</c> and <c>..</c>; null when it leaves the repository.</summary>
    public static string? Normalize(string baseDir, string relative)
    {
        var parts = new List<string>();
        if (baseDir != Root)
        {
            parts.AddRange(baseDir.Split('/'));
        }

        foreach (var part in relative.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count == 0)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
        }

        return parts.Count == 0 ? Root : string.Join('/', parts);
    }
}
