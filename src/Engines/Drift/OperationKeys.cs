using Autopilot.Ingest.Signals;

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

    /// <summary>Presence counts per key: of the warm-up until learned, then of the current window (see <see cref="Pending"/>).</summary>
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The attributes of the latest run of spans sharing one key array, not yet in <see cref="Counts"/>: consecutive spans
    /// of one shape are counted once per run instead of once per key and span. Flushed before the counts are read.
    /// </summary>
    public SignalAttributes? Pending { get; set; }

    /// <summary>Spans in the <see cref="Pending"/> run.</summary>
    public long PendingSpans { get; set; }
}
