using System.Text.Json;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Signals;
using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Engines.Tests.Hosting;

/// <summary>
/// Drives one real <see cref="EngineShard"/> (every engine of <see cref="EngineCatalog.CreateDefault"/>, snapshots in
/// a real SQLite store) the way the partition stage does: batches of signals, each followed by the watermark
/// (largest event time minus the allowed lateness), and a log barrier every <see cref="BarrierEvery"/> batches.
/// A batch goes in as one range with its barrier at the end (<c>ProcessRange</c>, as the partition stage hands it over)
/// or, with <c>bySignal</c>, one input at a time (<c>Process</c>). Findings are collected as the JSON the stores and the
/// API write, in emission order.
/// </summary>
internal sealed class ShardRun : IDisposable
{
    public const int Batch = 256;
    public const int BarrierEvery = 16;

    private readonly EngineOptions _options;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "autopilot-shardrun-" + Guid.NewGuid().ToString("N"));
    private readonly SqliteEngineStore _store;
    private EngineHost _host;
    private EngineShard _shard;
    private PartitionContext<Finding> _context = new(0, 1024);
    private long _maxEventTime = long.MinValue;
    private readonly bool _bySignal;
    private readonly List<EngineInput> _inputs = [];

    public ShardRun(EngineOptions options, ShardSnapshot? initial = null, bool bySignal = false)
    {
        _options = options;
        _bySignal = bySignal;
        _store = new SqliteEngineStore(Path.Combine(_directory, "engines.db"));
        if (initial is not null)
        {
            _store.SaveSnapshot(initial);
        }

        (_host, _shard) = Open();
    }

    /// <summary>Findings as JSON lines, in the order the shard emitted them.</summary>
    public List<string> Findings { get; } = [];

    /// <summary>Processes the batches [<paramref name="fromBatch"/>, <paramref name="toBatch"/>) of <paramref name="signals"/>; a batch's log position is its index + 1.</summary>
    public void Process(Signal[] signals, int fromBatch, int toBatch)
    {
        var lateness = _options.AllowedLateness.Ticks * 100;
        for (var b = fromBatch; b < toBatch; b++)
        {
            var lsn = b + 1L;
            var end = Math.Min((b + 1) * Batch, signals.Length);
            var barrier = (b + 1) % BarrierEvery == 0;
            _inputs.Clear();
            for (var i = b * Batch; i < end; i++)
            {
                _inputs.Add(new EngineInput(lsn, signals[i]));
                _maxEventTime = Math.Max(_maxEventTime, signals[i].TimeUnixNano);
            }

            // In a range the barrier ends the batch's inputs, as the partition stage receives them; one at a time it
            // follows the watermark, as this driver handed it over before ranges.
            if (barrier && !_bySignal)
            {
                _inputs.Add(new EngineInput(lsn, default, 0));
            }

            Hand(_inputs);
            if (_context.AdvanceWatermark(_maxEventTime - lateness))
            {
                _shard.OnWatermark(_context.Watermark, _context);
            }

            Collect();
            if (barrier && _bySignal)
            {
                _shard.Process(new EngineInput(lsn, default, 0), _context);
            }
        }
    }

    /// <summary>Snapshots at the barrier of batch <paramref name="lastBatch"/> and returns what the store holds.</summary>
    public ShardSnapshot Snapshot(int lastBatch)
    {
        _host.RequestDurability();
        _shard.Process(new EngineInput(lastBatch + 1L, default, 0), _context);
        return _store.LoadSnapshot(0) ?? throw new InvalidOperationException("The shard wrote no snapshot.");
    }

    /// <summary>A process restart: a new host and shard restore from the store; the stream's watermark starts over.</summary>
    public void Restart()
    {
        (_host, _shard) = Open();
        _context = new PartitionContext<Finding>(0, 1024);
        _maxEventTime = long.MinValue;
    }

    /// <summary>Ends the stream as the partition stage does (final watermark, counters flushed, snapshot).</summary>
    public void Complete()
    {
        _shard.OnComplete(_context);
        Collect();
    }

    private void Hand(List<EngineInput> inputs) => Hand(_shard, inputs, _context, _bySignal);

    /// <summary>Hands <paramref name="inputs"/> to the shard one at a time, or as one range as the partition stage does.</summary>
    public static void Hand(EngineShard shard, List<EngineInput> inputs, PartitionContext<Finding> context, bool bySignal)
    {
        if (bySignal)
        {
            foreach (var input in inputs)
            {
                shard.Process(input, context);
            }

            return;
        }

        var items = inputs.ToArray();
        var index = 0;
        shard.ProcessRange(items, ref index, items.Length, context);
        if (index != items.Length)
        {
            throw new InvalidOperationException($"ProcessRange stopped at {index} of {items.Length} inputs.");
        }
    }

    public static int Batches(Signal[] signals) => (signals.Length + Batch - 1) / Batch;

    public void Dispose()
    {
        _store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private (EngineHost, EngineShard) Open()
    {
        var host = new EngineHost(_options, _store, EngineCatalog.CreateDefault, time: new FrozenTime());
        return (host, new EngineShard(host, 0));
    }

    private void Collect()
    {
        foreach (var finding in _context.Output.Span)
        {
            Findings.Add(JsonSerializer.Serialize(finding, EngineJson.Options));
        }

        _context.ClearOutput();
    }
}
