namespace Autopilot.Agents.Scout.Scanning;

/// <summary>One file found by the walk.</summary>
/// <param name="RelPath">Repository-relative, forward slashes.</param>
/// <param name="FullPath">Absolute path to open (a symlink whose target stays inside the repository is opened through the link).</param>
/// <param name="Size">Bytes, as the directory listing reported them.</param>
/// <param name="Kind">What the file is to Scout.</param>
/// <param name="IsTest">Test code (a <c>test</c>/<c>tests</c>/<c>__tests__</c> folder or a test file name): counted, never read for call sites.</param>
internal readonly record struct RepoFile(string RelPath, string FullPath, long Size, FileKind Kind, bool IsTest)
{
    /// <summary>The folder holding the file, repository-relative; <c>.</c> for the root.</summary>
    public string RelDir => RepoPaths.Parent(RelPath);

    public string Name => RepoPaths.FileName(RelPath);
}
