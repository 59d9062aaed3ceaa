using Autopilot.Pipeline;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Several downstreams behind the one <see cref="IngestService"/> takes: every batch goes to each of them
/// (a broadcast in the pipeline, so the slowest sets the pace; each downstream puts its own async boundary
/// in front of its work). Durable only as far as the least durable of them, so the log is never trimmed past
/// what any of them would need after a crash; a durability request goes to all.
/// </summary>
public sealed class BroadcastDownstream : IIngestDownstream
{
    private readonly IIngestDownstream[] _downstreams;

    public BroadcastDownstream(params IIngestDownstream[] downstreams)
    {
        ArgumentNullException.ThrowIfNull(downstreams);
        if (downstreams.Length == 0)
        {
            throw new ArgumentException("a broadcast needs at least one downstream.", nameof(downstreams));
        }

        foreach (var d in downstreams)
        {
            ArgumentNullException.ThrowIfNull(d, nameof(downstreams));
        }

        _downstreams = [.. downstreams];
    }

    public IReadOnlyList<IIngestDownstream> Downstreams => _downstreams;

    /// <summary>The smallest durable position of all downstreams (-1 while any of them has none).</summary>
    public long DurableLsn
    {
        get
        {
            var min = long.MaxValue;
            foreach (var d in _downstreams)
            {
                min = Math.Min(min, d.DurableLsn);
            }

            return min;
        }
    }

    public Sink<IngestBatch, Task> CreateSink()
    {
        if (_downstreams.Length == 1)
        {
            return _downstreams[0].CreateSink();
        }

        var flow = Flow.Create<IngestBatch>();
        for (var i = 0; i < _downstreams.Length - 1; i++)
        {
            flow = flow.AlsoTo(_downstreams[i].CreateSink());
        }

        return flow.To(_downstreams[^1].CreateSink());
    }

    public void RequestDurability()
    {
        foreach (var d in _downstreams)
        {
            d.RequestDurability();
        }
    }
}
