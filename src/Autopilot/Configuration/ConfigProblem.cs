namespace Autopilot.Host.Configuration;

/// <summary>One thing wrong with the configuration: the key path, what is wrong, and where it was set.</summary>
/// <param name="Path">Key path such as <c>ingest.maxRequestBytes</c> or <c>auth.tokens[1].role</c>; empty for the file as a whole.</param>
/// <param name="Message">What is wrong and what would be right.</param>
/// <param name="Source">Where the value came from (<c>autopilot.yaml line 7</c>, a variable, a flag); null when unknown.</param>
public sealed record ConfigProblem(string Path, string Message, string? Source)
{
    /// <summary><c>ingest.maxRequestBytes: must be at least 1024, got -1 (autopilot.yaml line 7)</c>.</summary>
    public override string ToString()
    {
        var where = Source is null ? string.Empty : $" ({Source})";
        return Path.Length == 0 ? Message + where : $"{Path}: {Message}{where}";
    }
}
