namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// The builder's view of one asset: its current version, the properties of that version, and what it needs to
/// notice changes (the service versions seen and when, the dataset's schema fields).
/// </summary>
internal sealed class NodeState : TemporalState
{
    public NodeState(int id, string urn, string kind, string? @namespace, string name)
    {
        Id = id;
        Urn = urn;
        Kind = kind;
        Namespace = @namespace;
        Name = name;
    }

    /// <summary>Dense id, so edges are keyed by two ints instead of two strings.</summary>
    public int Id { get; }

    public string Urn { get; }

    public string Kind { get; }

    /// <summary>The URN's namespace (a service's environment), null when the URN has another shape.</summary>
    public string? Namespace { get; }

    /// <summary>The URN's name part, for change descriptions.</summary>
    public string Name { get; }

    /// <summary>Properties of the current version; copied when published, so readers never see it change.</summary>
    public Dictionary<string, string> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Service version of the current node version (the <c>service.version</c> property).</summary>
    public string? Version { get; set; }

    /// <summary>Versions seen recently and their last sighting (a handful: a rollout has two).</summary>
    public List<(string Version, long LastSeen)> RecentVersions { get; } = [];

    /// <summary>Schema fingerprint of the current version (datasets).</summary>
    public string? SchemaFingerprint { get; set; }

    /// <summary>Top-level schema fields <c>name:type,…</c> as the lineage signal carried them, for describing a change.</summary>
    public string? SchemaFields { get; set; }

    /// <summary>Edges (current or in history) that end here; a node with any is never pruned.</summary>
    public int EdgeCount { get; set; }
}
