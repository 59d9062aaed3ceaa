namespace Autopilot.Rca.Graph;

/// <summary>
/// The recent counters of one edge, one sample per minute of event time (the last one seen in that minute), at most
/// <see cref="Capacity"/> of them: enough to compare an edge before and after the onset of an incident being
/// analysed, at 32 bytes a sample (at most 1.9 KB an edge, growing with the edge's age), and only for edges that
/// carry traffic. A new edge version starts its counters
/// from zero, so the samples of an earlier version are dropped.
/// </summary>
internal sealed class TrafficHistory
{
    /// <summary>One hour of one-minute samples.</summary>
    public const int Capacity = 60;

    private const long Minute = 60_000_000_000;
    private TrafficSample[] _ring = new TrafficSample[4];
    private int _start;
    private int _count;
    private int _seq = -1;

    public void Record(int seq, long atUnixNano, EdgeStats stats)
    {
        if (seq != _seq)
        {
            _seq = seq;
            _start = 0;
            _count = 0;
        }

        var sample = new TrafficSample(atUnixNano, stats.Requests, stats.Errors, stats.LatencySumMs);
        if (_count > 0)
        {
            ref var last = ref _ring[(_start + _count - 1) % _ring.Length];
            if (atUnixNano < last.AtUnixNano)
            {
                return; // counters only grow; an older time is a late re-publish, already covered
            }

            if (atUnixNano / Minute == last.AtUnixNano / Minute)
            {
                last = sample;
                return;
            }
        }

        if (_count == _ring.Length && _count < Capacity)
        {
            // Grows as the edge lives on (an edge seen for a few minutes keeps a few samples), up to the capacity.
            var grown = new TrafficSample[Math.Min(Capacity, _ring.Length * 2)];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = _ring[(_start + i) % _ring.Length];
            }

            _ring = grown;
            _start = 0;
        }

        if (_count == _ring.Length)
        {
            _start = (_start + 1) % _ring.Length;
            _count--;
        }

        _ring[(_start + _count) % _ring.Length] = sample;
        _count++;
    }

    public TrafficSample[] ToArray()
    {
        var result = new TrafficSample[_count];
        for (var i = 0; i < _count; i++)
        {
            result[i] = _ring[(_start + i) % _ring.Length];
        }

        return result;
    }
}
