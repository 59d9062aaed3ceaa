namespace Autopilot.Agents.Gate;

/// <summary>The working tree the gate judges: its file list (from git) and cached file reads.</summary>
internal sealed class Workspace
{
    /// <summary>Files larger than this are not read for markers (generated or vendored code, data).</summary>
    public const long MaxReadBytes = 2 * 1024 * 1024;

    private readonly Dictionary<string, string?> _texts = new(StringComparer.Ordinal);

    public Workspace(string root, IReadOnlyList<string> files)
    {
        Root = root;
        Files = files;
        FileSet = new HashSet<string>(files, StringComparer.Ordinal);
    }

    public string Root { get; }

    /// <summary>Repository-relative paths with '/'.</summary>
    public IReadOnlyList<string> Files { get; }

    public IReadOnlySet<string> FileSet { get; }

    /// <summary>The file's text, or null when it is missing, too large or unreadable.</summary>
    public string? Read(string path)
    {
        if (_texts.TryGetValue(path, out var cached))
        {
            return cached;
        }

        string? text = null;
        var full = Path.Combine(Root, path);
        try
        {
            var info = new FileInfo(full);
            if (info.Exists && info.Length <= MaxReadBytes)
            {
                text = File.ReadAllText(full);
            }
        }
        catch (IOException)
        {
            text = null;
        }
        catch (UnauthorizedAccessException)
        {
            text = null;
        }

        _texts[path] = text;
        return text;
    }

    /// <summary>Files under a repository-relative folder ("." for all).</summary>
    public IEnumerable<string> FilesUnder(string folder) =>
        folder == "." ? Files : Files.Where(f => f.StartsWith(folder + "/", StringComparison.Ordinal));

    /// <summary>Joins a folder and a relative name ("." stands for the repository root).</summary>
    public static string Join(string folder, string name) => folder == "." ? name : folder + "/" + name;

    /// <summary>1-based line of character offset <paramref name="index"/> in <paramref name="text"/>.</summary>
    public static int LineOf(string text, int index)
    {
        var line = 1;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
