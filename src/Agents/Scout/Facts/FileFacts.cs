using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>What one file contributed.</summary>
internal sealed class FileFacts(RepoFile file)
{
    public RepoFile File { get; } = file;

    public List<Hit> Hits { get; } = [];

    /// <summary>String constants whose names mention a topic: name → value.</summary>
    public Dictionary<string, string>? TopicConstants { get; set; }

    /// <summary>Spring configuration flattened (<c>spring.kafka.topic</c> → value, line), for placeholders and the application name.</summary>
    public Dictionary<string, (string Value, int Line)>? Properties { get; set; }

    /// <summary>The file was longer than the read cap; only its beginning was scanned.</summary>
    public bool Truncated { get; set; }

    /// <summary>A generated-code header was found; nothing of it counts.</summary>
    public bool Generated { get; set; }

    /// <summary>A runbook's YAML front matter (between the leading <c>---</c> lines), if any.</summary>
    public string? FrontMatter { get; set; }

    /// <summary>The text of files parsed as a whole after the parallel read (contracts, compose files); null for others.</summary>
    public string? Text { get; set; }

    /// <summary>Not readable (permissions, binary, vanished).</summary>
    public bool Unreadable { get; set; }
}
