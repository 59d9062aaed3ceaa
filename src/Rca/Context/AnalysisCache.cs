using Autopilot.Rca.Explain;

namespace Autopilot.Rca.Context;

/// <summary>
/// Analyses of incidents (context, ranking, blast radius), least recently used evicted past the capacity. An
/// entry is used only while the incident's <c>UpdatedUnixNano</c> is the one it was built for (a new finding
/// invalidates it) and it is younger than the TTL (the graph and its changes keep arriving after the findings).
/// </summary>
internal sealed class AnalysisCache(int capacity, TimeSpan ttl, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _order = new(); // First = most recently used

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public long Hits { get; private set; }

    public long Misses { get; private set; }

    public bool TryGet(string incidentId, long updatedUnixNano, out Analysis analysis)
    {
        analysis = null!;
        if (capacity == 0)
        {
            return false;
        }

        lock (_gate)
        {
            if (_map.TryGetValue(incidentId, out var node))
            {
                if (node.Value.Updated == updatedUnixNano && time.GetElapsedTime(node.Value.Created) < ttl)
                {
                    _order.Remove(node);
                    _order.AddFirst(node);
                    Hits++;
                    analysis = node.Value.Analysis;
                    return true;
                }

                _order.Remove(node);
                _map.Remove(incidentId);
            }

            Misses++;
            return false;
        }
    }

    public void Put(string incidentId, long updatedUnixNano, Analysis analysis)
    {
        if (capacity == 0)
        {
            return;
        }

        lock (_gate)
        {
            if (_map.Remove(incidentId, out var old))
            {
                _order.Remove(old);
            }

            _map[incidentId] = _order.AddFirst(new Entry(incidentId, updatedUnixNano, time.GetTimestamp(), analysis));
            while (_map.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Id);
            }
        }
    }

    private sealed record Entry(string Id, long Updated, long Created, Analysis Analysis);
}
