using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Inventory;

/// <summary>
/// Counts accumulated from a batch of signals before one write to the store: per URN, first / last
/// seen and a count per signal kind. Reused across batches (<see cref="Clear"/>), so it allocates only
/// when a URN is new to it.
/// </summary>
public sealed class AssetDelta
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    /// <summary>Largest write-ahead-log position whose signals are in this delta.</summary>
    public long Lsn { get; private set; } = -1;

    public void Add(in Signal signal, long fallbackTimeUnixNano)
    {
        var time = signal.TimeUnixNano > 0 ? signal.TimeUnixNano : fallbackTimeUnixNano;
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_entries, signal.Urn, out var exists);
        if (!exists)
        {
            entry = new Entry { First = time, Last = time, Counts = new long[6] };
        }
        else
        {
            entry.First = Math.Min(entry.First, time);
            entry.Last = Math.Max(entry.Last, time);
        }

        entry.Counts[KindIndex(signal.Kind)]++;
    }

    public void MarkLsn(long lsn) => Lsn = Math.Max(Lsn, lsn);

    public void Clear()
    {
        _entries.Clear();
        Lsn = -1;
    }

    internal IEnumerable<KeyValuePair<string, Entry>> Entries => _entries;

    internal static int KindIndex(SignalKind kind) => kind switch
    {
        SignalKind.Span => 0,
        SignalKind.Metric => 1,
        SignalKind.Log => 2,
        SignalKind.Lineage => 3,
        SignalKind.Record => 4,
        _ => 5,
    };

    internal struct Entry
    {
        public long First;
        public long Last;
        public long[] Counts;
    }
}
