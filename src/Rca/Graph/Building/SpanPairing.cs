namespace Autopilot.Rca.Graph.Building;

/// <summary>
/// The bounded store of client and server spans waiting for their other half (the servicegraph connector's
/// store, on event time). Each entry expires at its span's end plus the pairing window, measured on the span
/// watermark the builder passes in, so replaying the same log pairs and expires exactly as the first run did.
/// Expired and evicted halves are appended to <see cref="Expired"/> for the builder to handle.
/// </summary>
internal sealed class SpanPairing
{
    private readonly Dictionary<PairKey, PendingSpan> _pending = [];
    private readonly PriorityQueue<PairKey, long> _due = new();
    private readonly int _capacity;

    public SpanPairing(int capacity) => _capacity = capacity;

    public int Count => _pending.Count;

    /// <summary>Halves that expired or were evicted since the caller last cleared it.</summary>
    public List<PendingSpan> Expired { get; } = [];

    private long _evicted;

    /// <summary>Halves evicted early because the store was full since the last call (they are also in <see cref="Expired"/>).</summary>
    public long TakeEvicted()
    {
        var evicted = _evicted;
        _evicted = 0;
        return evicted;
    }

    /// <summary>
    /// Pairs <paramref name="span"/> with a waiting opposite half under <paramref name="key"/> (returned in
    /// <paramref name="other"/>, removed from the store), or stores it to wait. A second half of the same side
    /// under the same key (a duplicate) replaces the first.
    /// </summary>
    public bool Offer(in PairKey key, in PendingSpan span, out PendingSpan other)
    {
        if (_pending.TryGetValue(key, out other) && other.IsClient != span.IsClient)
        {
            _pending.Remove(key);
            return true;
        }

        if (_pending.Count >= _capacity && !_pending.ContainsKey(key))
        {
            EvictOne();
        }

        _pending[key] = span;
        _due.Enqueue(key, span.ExpiresAt);

        // Paired entries leave their queue item behind until it comes due; keep the queue from growing without bound.
        if (_due.Count > (2 * _capacity) + 1024)
        {
            RebuildQueue();
        }

        other = default;
        return false;
    }

    /// <summary>Expires every waiting half due at or before <paramref name="watermark"/>.</summary>
    public void ExpireDue(long watermark)
    {
        while (_due.TryPeek(out var key, out var at) && at <= watermark)
        {
            _due.Dequeue();
            if (_pending.TryGetValue(key, out var span) && span.ExpiresAt == at)
            {
                _pending.Remove(key);
                Expired.Add(span);
            }
        }
    }

    /// <summary>Every waiting half, for the builder's durable snapshot.</summary>
    public IEnumerable<KeyValuePair<PairKey, PendingSpan>> Entries => _pending;

    /// <summary>Restores a waiting half from a snapshot.</summary>
    public void Restore(in PairKey key, in PendingSpan span)
    {
        _pending[key] = span;
        _due.Enqueue(key, span.ExpiresAt);
    }

    private void EvictOne()
    {
        while (_due.TryDequeue(out var key, out var at))
        {
            if (_pending.TryGetValue(key, out var span) && span.ExpiresAt == at)
            {
                _pending.Remove(key);
                Expired.Add(span);
                _evicted++;
                return;
            }
        }
    }

    private void RebuildQueue()
    {
        _due.Clear();
        foreach (var (key, span) in _pending)
        {
            _due.Enqueue(key, span.ExpiresAt);
        }
    }
}
