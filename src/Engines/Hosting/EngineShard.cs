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
    private const int MaxEnginesByRun = 32;
    private readonly EngineHost _host;
    private readonly int _shard;
    private readonly Engine[] _engines;
    private readonly EngineContext _context;
    private readonly KeyValuePair<string, object?>[] _engineTags;

    // The engines that read each kind (indexed by the kind's byte), with their metric tags: a signal goes only to the
    // engines that read its kind. Kinds read by the same engines share one route.
    private readonly Route[] _routes;

    // For runs engine by engine (ProcessRange): the engines that read each kind as bits (engine i is bit i), and each
    // signal's bits in the current run.
    private readonly uint[] _kindEngines;
    private uint[] _runEngines = [];
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
            if (Restore(_engines, snapshot.Data, out var largestSection))
            {
                _restoredLsn = snapshot.Lsn;
                host.ReportDurable(shard, snapshot.Lsn);

                // The next snapshot is about this size: the buffers start there instead of doubling up to it from empty
                // (which allocated about twice the state again at the first snapshot after every restart).
                _snapshotBuffer.Capacity = Headroom(snapshot.Data.Length);
                _sectionBuffer.Capacity = Headroom(largestSection);
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
        _kindEngines = KindEngines(_engines);
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

        if (!Admit(in element))
        {
            return;
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

    /// <summary>
    /// Handles a batch the way the partition stage hands it over: each run of signals between barriers goes through the
    /// engines one after the other (the first engine over the whole run, then the next), not signal by signal through
    /// all of them. An engine alone over a few hundred signals keeps its own per-URN state and code in the caches; signal
    /// by signal, every engine's state for the same URNs competed for them (measured one at a time, the engines' costs
    /// add up to well below their cost together). Same results: an engine's state is its own, every engine sees its
    /// signals in the same order, and the findings are held back and emitted in the order a signal-by-signal run emits
    /// them.
    /// </summary>
    internal override void ProcessRange(EngineInput[] items, ref int index, int count, PartitionContext<Finding> context)
    {
        if (_engines.Length > MaxEnginesByRun)
        {
            base.ProcessRange(items, ref index, count, context);
            return;
        }

        while (index < count)
        {
            var end = index;
            while (end < count && !items[end].IsBarrier)
            {
                end++;
            }

            if (end - index > 1)
            {
                // An engine's exception is caught per signal inside the run. Should anything else escape it (out of
                // memory), the caller skips the element at index and goes on: pointing at the run's last signal makes
                // it go on after the run rather than hand the engines signals some of them have already seen.
                var start = index;
                _context.Attach(context);
                index = end - 1;
                RunByEngine(items, start, end);
                index = end;
            }
            else
            {
                // A barrier, or a lone signal: nothing to gain from a run.
                Process(in items[index], context);
                index++;
            }
        }
    }

    /// <summary>
    /// Whether a signal is new to this shard (its snapshot does not cover it already); counts it and its event time when so.
    /// </summary>
    private bool Admit(in EngineInput input)
    {
        if (input.Lsn <= _restoredLsn)
        {
            return false;
        }

        _signals++;
        if (input.Signal.TimeUnixNano > _maxEventTime)
        {
            _maxEventTime = input.Signal.TimeUnixNano;
        }

        return true;
    }

    private void RunByEngine(EngineInput[] items, int start, int end)
    {
        var n = end - start;
        if (_runEngines.Length < n)
        {
            _runEngines = new uint[Math.Max(n, _runEngines.Length * 2)];
        }

        var masks = _runEngines;
        var any = 0u;
        for (var i = 0; i < n; i++)
        {
            ref readonly var input = ref items[start + i];
            masks[i] = Admit(in input) ? _kindEngines[(byte)input.Signal.Kind] : 0;
            any |= masks[i];
        }

        var context = _context;
        context.BeginRun(items, start, end);
        try
        {
            for (var e = 0; e < _engines.Length; e++)
            {
                var bit = 1u << e;
                if ((any & bit) == 0)
                {
                    continue;
                }

                var engine = _engines[e];
                context.SetRunEngine(e);
                var i = 0;
                while (i < n)
                {
                    try
                    {
                        for (; i < n; i++)
                        {
                            if ((masks[i] & bit) != 0)
                            {
                                context.SetRunSignal(i);
                                engine.OnSignal(items[start + i].Signal, context);
                            }
                        }
                    }
                    catch (Exception)
                    {
                        // As signal by signal: the engine loses that signal only.
                        EngineMetrics.Errors.Add(1, _engineTags[e]);
                        i++;
                    }
                }
            }
        }
        finally
        {
            context.EndRun();
        }
    }

    private static uint[] KindEngines(Engine[] engines)
    {
        var kinds = new uint[byte.MaxValue + 1];
        for (var kind = 0; kind < kinds.Length; kind++)
        {
            for (var i = 0; i < engines.Length && i < MaxEnginesByRun; i++)
            {
                if (engines[i].Handles((SignalKind)kind))
                {
                    kinds[kind] |= 1u << i;
                }
            }
        }

        return kinds;
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

    /// <summary>
    /// Reads each engine's section by name, straight from the snapshot's bytes (no copy per section); an unreadable
    /// snapshot means starting empty (and re-learning).
    /// </summary>
    private static bool Restore(IReadOnlyList<Engine> engines, byte[] data, out int largestSection)
    {
        largestSection = 0;
        try
        {
            using var reader = new BinaryReader(new MemoryStream(data, writable: false), System.Text.Encoding.UTF8);
            if (reader.ReadInt32() != SnapshotFormat)
            {
                return false;
            }

            var sections = new Dictionary<string, (int Offset, int Length)>(StringComparer.Ordinal);
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var length = reader.ReadInt32();
                var offset = (int)reader.BaseStream.Position;
                if (length < 0 || length > data.Length - offset)
                {
                    return false; // cut short
                }

                sections[name] = (offset, length);
                reader.BaseStream.Position = offset + length;
                largestSection = Math.Max(largestSection, length);
            }

            foreach (var engine in engines)
            {
                if (sections.TryGetValue(engine.Name, out var section))
                {
                    using var sectionReader = new BinaryReader(new MemoryStream(data, section.Offset, section.Length, writable: false), System.Text.Encoding.UTF8);
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

    /// <summary>A buffer's capacity for about <paramref name="length"/> bytes, with an eighth to spare for growth.</summary>
    private static int Headroom(int length) => (int)Math.Min(Array.MaxLength, length + ((long)length / 8) + 256);
}
