using Autopilot.Engines.Findings;
using Autopilot.Engines.State;
using Autopilot.Ingest.Signals;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// One shard: an instance of every engine for the URNs hashed to it. Restores from its snapshot and skips
/// replayed signals the snapshot already covers; writes a snapshot at a log barrier once the snapshot
/// interval has passed, and at the end of the stream. An engine that throws loses that signal only.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Its MemoryStreams hold only managed arrays; nothing needs disposing.")]
internal sealed class EngineShard : PartitionProcessor<EngineInput, Finding>
{
    private const int SnapshotFormat = 1;
    private readonly EngineHost _host;
    private readonly int _shard;
    private readonly Engine[] _engines;
    private readonly EngineContext _context;
    private readonly KeyValuePair<string, object?>[] _engineTags;

    // The engines that read each kind (indexed by the kind's byte), with their metric tags: a signal goes only to the
    // engines that read its kind. Kinds read by the same engines share one route.
    private readonly Route[] _routes;
    private long _restoredLsn = -1;
    private long _lastSnapshotTimestamp;
    private long _signals;
    private readonly long[] _evictionsCounted;
    private readonly long[] _untrackedCounted;
    private long _durabilityServed;
    private long _maxEventTime = long.MinValue;
    private readonly MemoryStream _snapshotBuffer = new();
    private readonly MemoryStream _sectionBuffer = new();

    public EngineShard(EngineHost host, int shard)
    {
        _host = host;
        _shard = shard;
        _engines = [.. host.CreateEngines(shard)];
        var snapshot = host.Store.LoadSnapshot(shard);
        if (snapshot is not null)
        {
            if (Restore(_engines, snapshot.Data))
            {
                _restoredLsn = snapshot.Lsn;
                host.ReportDurable(shard, snapshot.Lsn);
            }
            else
            {
                // Half-restored engines would be worse than empty ones.
                _engines = [.. host.CreateEngines(shard)];
            }
        }

        _context = new EngineContext(host.Options, shard) { SloStatus = host.SloStatus };
        _engineTags = [.. _engines.Select(e => new KeyValuePair<string, object?>("engine", e.Name))];
        _routes = Routes(_engines, _engineTags);
        _evictionsCounted = new long[_engines.Length];
        _untrackedCounted = new long[_engines.Length];
        _lastSnapshotTimestamp = host.Time.GetTimestamp();
    }

    public override void Process(in EngineInput element, PartitionContext<Finding> context)
    {
        _context.Attach(context);
        if (element.IsBarrier)
        {
            var requested = _host.DurabilityRequests;
            if (requested > _durabilityServed || _host.Time.GetElapsedTime(_lastSnapshotTimestamp) >= _host.Options.SnapshotInterval)
            {
                _durabilityServed = requested;
                Snapshot(element.Lsn);
            }

            return;
        }

        if (element.Lsn <= _restoredLsn)
        {
            return;
        }

        _signals++;
        if (element.Signal.TimeUnixNano > _maxEventTime)
        {
            _maxEventTime = element.Signal.TimeUnixNano;
        }

        // Arrays, not the factory's list: one interface call less per engine per signal.
        var route = _routes[(byte)element.Signal.Kind];
        var engines = route.Engines;
        for (var i = 0; i < engines.Length; i++)
        {
            try
            {
                engines[i].OnSignal(element.Signal, _context);
            }
            catch (Exception)
            {
                EngineMetrics.Errors.Add(1, route.Tags[i]);
            }
        }
    }

    private static Route[] Routes(Engine[] engines, KeyValuePair<string, object?>[] tags)
    {
        var routes = new Route[byte.MaxValue + 1];
        var byMembers = new Dictionary<string, Route>(StringComparer.Ordinal);
        var members = new List<int>(engines.Length);
        for (var kind = 0; kind < routes.Length; kind++)
        {
            members.Clear();
            for (var i = 0; i < engines.Length; i++)
            {
                if (engines[i].Handles((SignalKind)kind))
                {
                    members.Add(i);
                }
            }

            var key = string.Join(',', members);
            if (!byMembers.TryGetValue(key, out var route))
            {
                route = new Route([.. members.Select(i => engines[i])], [.. members.Select(i => tags[i])]);
                byMembers.Add(key, route);
            }

            routes[kind] = route;
        }

        return routes;
    }

    public override void OnWatermark(long watermark, PartitionContext<Finding> context)
    {
        _context.Attach(context);
        FlushSignalCount();
        for (var i = 0; i < _engines.Length; i++)
        {
            try
            {
                _engines[i].OnWatermark(watermark, _context);
            }
            catch (Exception)
            {
                EngineMetrics.Errors.Add(1, _engineTags[i]);
            }
        }
    }

    public override void OnComplete(PartitionContext<Finding> context)
    {
        // The stream is over: this shard has seen everything that entered the engines.
        if (_host.Options.FlushOnComplete && _maxEventTime > long.MinValue)
        {
            OnWatermark(Math.Max(context.Watermark, _maxEventTime + (_host.Options.FinalWatermarkSlack.Ticks * 100)), context);
        }

        FlushSignalCount();
        Snapshot(_host.MaxLsnEntered);
    }

    private void FlushSignalCount()
    {
        if (_signals > 0)
        {
            EngineMetrics.Signals.Add(_signals);
            _signals = 0;
        }

        // Read once a watermark rather than counted per eviction: an engine evicting on every signal stays cheap.
        for (var i = 0; i < _engines.Length; i++)
        {
            Report(EngineMetrics.Evictions, _engines[i].Evictions, ref _evictionsCounted[i], _engineTags[i]);
            Report(EngineMetrics.Untracked, _engines[i].Untracked, ref _untrackedCounted[i], _engineTags[i]);
        }

        static void Report(System.Diagnostics.Metrics.Counter<long> counter, long total, ref long counted, KeyValuePair<string, object?> tag)
        {
            if (total > counted)
            {
                counter.Add(total - counted, tag);
            }

            counted = total;
        }
    }

    private void Snapshot(long lsn)
    {
        if (lsn < 0)
        {
            return;
        }

        // A root span: the shard's task runs outside any request.
        using var activity = EngineTelemetry.Source.StartActivity("engine snapshot", System.Diagnostics.ActivityKind.Internal, parentContext: default);

        // The two buffers live as long as the shard: a snapshot of a large state regrows nothing, and the store
        // writes the bytes straight from the buffer (no copy of the whole state per snapshot).
        var buffer = _snapshotBuffer;
        var section = _sectionBuffer;
        buffer.SetLength(0);
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(SnapshotFormat);
            writer.Write(_engines.Length);
            foreach (var engine in _engines)
            {
                section.SetLength(0);
                using (var sectionWriter = new BinaryWriter(section, System.Text.Encoding.UTF8, leaveOpen: true))
                {
                    engine.WriteState(sectionWriter);
                }

                writer.Write(engine.Name);
                writer.Write((int)section.Length);
                writer.Write(section.GetBuffer(), 0, (int)section.Length);
            }
        }

        activity?.SetTag("autopilot.shard", _shard);
        activity?.SetTag("autopilot.wal.lsn", lsn);
        activity?.SetTag("autopilot.snapshot.bytes", buffer.Length);
        _host.Store.SaveSnapshot(_shard, lsn, new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length));
        _lastSnapshotTimestamp = _host.Time.GetTimestamp();
        _host.ReportDurable(_shard, lsn);
        EngineMetrics.Snapshots.Add(1);
    }

    /// <summary>Reads each engine's section by name; an unreadable snapshot means starting empty (and re-learning).</summary>
    private static bool Restore(IReadOnlyList<Engine> engines, byte[] data)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data), System.Text.Encoding.UTF8);
            if (reader.ReadInt32() != SnapshotFormat)
            {
                return false;
            }

            var sections = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var length = reader.ReadInt32();
                sections[name] = reader.ReadBytes(length);
            }

            foreach (var engine in engines)
            {
                if (sections.TryGetValue(engine.Name, out var section))
                {
                    using var sectionReader = new BinaryReader(new MemoryStream(section), System.Text.Encoding.UTF8);
                    engine.ReadState(sectionReader);
                }
            }

            return true;
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or FormatException or ArgumentException or InvalidDataException)
        {
            return false;
        }
    }
}
