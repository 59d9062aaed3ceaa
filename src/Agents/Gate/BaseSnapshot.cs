namespace Autopilot.Agents.Gate;

/// <summary>The base side: the revision given, its commit, its file tree and the texts the checks compare.</summary>
internal sealed class BaseSnapshot(string revision, string commit, IReadOnlyDictionary<string, string> tree, IReadOnlyDictionary<string, string> texts)
{
    public string Revision { get; } = revision;

    public string Commit { get; } = commit;

    /// <summary>Path → blob id of every file at the base commit.</summary>
    public IReadOnlyDictionary<string, string> Tree { get; } = tree;

    /// <summary>Path → text of the schema and contract files at the base commit.</summary>
    public IReadOnlyDictionary<string, string> Texts { get; } = texts;
}
