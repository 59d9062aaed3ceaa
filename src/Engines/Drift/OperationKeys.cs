namespace Autopilot.Engines.Drift;

/// <summary>The attribute-key shape of one operation: warm-up counts, the learned keys, and the current window's counts.</summary>
internal sealed class OperationKeys(string urn, string name)
{
    public string Urn { get; } = urn;

    /// <summary>The span name.</summary>
    public string Name { get; } = name;

    public int WarmupSeen { get; set; }

    /// <summary>Keys present on at least the presence fraction of spans (learned, then updated on drift).</summary>
    public HashSet<string> Baseline { get; } = new(StringComparer.Ordinal);

    /// <summary>Every key seen during warm-up or adopted since: a key outside it is new.</summary>
    public HashSet<string> Known { get; } = new(StringComparer.Ordinal);

    public bool Learned { get; set; }

    public long WindowStart { get; set; } = long.MinValue;

    public long WindowSpans { get; set; }

    /// <summary>Presence counts per key: of the warm-up until learned, then of the current window.</summary>
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);
}
