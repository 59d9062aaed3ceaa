using Autopilot.Ingest.Inventory;
using Autopilot.Ingest.Wal;
using Autopilot.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The ingest edge behind every receiver. A request is decoded (so bad input is refused before
/// anything is stored), appended to the write-ahead log, and only then acknowledged; its signals then
/// flow through a Pipeline graph into the asset inventory, which records the log position it has
/// applied in the same transaction as the counts. On start, the log is replayed from that position,
/// so after a crash every acknowledged request is counted exactly once.
/// </summary>
public sealed partial class IngestService : IAsyncDisposable
{
    /// <summary>Elements per batch across the ingest graph's async boundaries (see the constructor).</summary>
    internal const int BatchSize = 2048;

    private readonly IngestOptions _options;
    private readonly IRequestDecoder _decoder;
    private readonly WriteAheadLog _wal;
    private readonly SourceQueue<IngestBatch> _queue;
    private readonly GraphHandle<Task> _graph;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly AssetDelta _delta = new();
    private readonly IIngestDownstream? _downstream;
    private LsnSequencer? _sequencer;
    private long _lastEnteredLsn = -1;
    private ITimer? _heartbeat;
    private readonly SemaphoreSlim _admission;
    private long _lastCheckpointTimestamp;
    private long _pendingCheckpoint = -1;
    private int _disposed;

    private IngestService(IngestOptions options, IRequestDecoder decoder, WriteAheadLog wal, AssetInventory inventory, IIngestDownstream? downstream, TimeProvider time, ILogger logger)
    {
        _options = options;
        _decoder = decoder;
        _wal = wal;
        Inventory = inventory;
        _downstream = downstream;
        _time = time;
        _logger = logger;
        _lastCheckpointTimestamp = time.GetTimestamp();
        _admission = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        Bodies = new BodyBudget(options.MaxBufferedBytes);
        IngestMetrics.ObserveBodies(() => Bodies.Used, options.MaxBufferedBytes);
        _queue = new SourceQueue<IngestBatch>(options.QueueCapacity);
        IngestMetrics.ObserveQueue(() => _queue.Count, _queue.Capacity);

        // One path for live and replayed requests: queue → inventory → downstream (the engines). The downstream flattens
        // requests into signals and hands them to its shards in batches of MaxBatchSize split among the shards, and a
        // shard runs its engines one after the other over what it gets: at 64 (the size when only the inventory read this
        // graph) a shard of four got runs of ~16 signals, each paying a channel hop and a watermark call of every engine;
        // at 2,048 it gets ~512. Batches are only that big with a backlog (a stage passes on what it has at the end of
        // each input), so an idle server still hands a lone request straight on. Buffers hold 4 such batches.
        _graph = Source.FromQueue(_queue)
            .Named("ingest-queue")
            .AlsoTo(Sink.ForEachBatch<IngestBatch>(ApplyAsync))
            .To(downstream?.CreateSink() ?? Sink.Ignore<IngestBatch>())
            .Run(new PipelineSettings { Name = "ingest", MaxBatchSize = BatchSize, DefaultBufferCapacity = 4 * BatchSize, TimeProvider = time });
    }

    /// <summary>Bytes of request bodies the receivers hold (<see cref="IngestOptions.MaxBufferedBytes"/>).</summary>
    internal BodyBudget Bodies { get; }

    /// <summary>
    /// Reads a request body with <paramref name="read"/> under the budget of <see cref="Bodies"/>. A body that does not
    /// fit is counted as refused and becomes <see cref="OverloadedException"/> (RESOURCE_EXHAUSTED / 429 with the retry hint).
    /// </summary>
    internal async Task<RequestBuffer> ReadBodyAsync(IngestSignal signal, string protocol, Func<BodyBudget, Task<RequestBuffer>> read)
    {
        try
        {
            return await read(Bodies).ConfigureAwait(false);
        }
        catch (BodyBudget.ExceededException e)
        {
            IngestMetrics.Count(SignalName(signal), protocol, "refused", 0);
            throw new OverloadedException(e.Message, _options.RetryAfter, unavailable: false, e);
        }
    }

    /// <summary>The durable asset inventory the pipeline feeds.</summary>
    public AssetInventory Inventory { get; }

    /// <summary>Whether accepted requests flow on to a downstream (the engines) after the inventory.</summary>
    internal bool HasDownstream => _downstream is not null;

    /// <summary>Requests acknowledged but not yet applied to the inventory.</summary>
    public int QueuedRequests => _queue.Count;

    /// <summary>
    /// Opens the log and the inventory, starts the pipeline and replays through it what the inventory or
    /// the downstream has not made durable yet; returns once the replay is queued.
    /// </summary>
    public static async Task<IngestService> StartAsync(IngestOptions options, IRequestDecoder decoder, ILoggerFactory? loggers = null, TimeProvider? time = null, IIngestDownstream? downstream = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(decoder);
        options.Validate();
        loggers ??= NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        var logger = loggers.CreateLogger<IngestService>();
        Directory.CreateDirectory(options.DataDirectory);
        var wal = await WriteAheadLog.OpenAsync(
            new WalOptions
            {
                Directory = Path.Combine(options.DataDirectory, "wal"),
                SegmentSizeBytes = options.WalSegmentBytes,
                MaxTotalBytes = options.WalMaxBytes,
                MaxPendingBytes = Math.Min(new WalOptions().MaxPendingBytes, options.WalMaxBytes / 2),
                FsyncEnabled = options.WalFsync,
            },
            loggers.CreateLogger<WriteAheadLog>(),
            cancellationToken: cancellationToken);
        AssetInventory? inventory = null;
        try
        {
            inventory = AssetInventory.Open(Path.Combine(options.DataDirectory, "inventory.db"));
            var service = new IngestService(options, decoder, wal, inventory, downstream, time, logger);
            var from = Math.Max(wal.CheckpointLsn, Math.Min(inventory.AppliedLsn, downstream?.DurableLsn ?? inventory.AppliedLsn));
            var replayed = await service.ReplayAsync(from, cancellationToken);
            LogStarted(logger, replayed, from);
            return service;
        }
        catch
        {
            inventory?.Dispose();
            await wal.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes one of the <see cref="IngestOptions.MaxConcurrentRequests"/> slots for decoding and logging a
    /// request; receivers call it after reading the body. Throws <see cref="OverloadedException"/>
    /// (RESOURCE_EXHAUSTED / 429) when none frees up within <see cref="IngestOptions.AdmissionWait"/>.
    /// </summary>
    public async Task<IDisposable> AdmitAsync(IngestSignal signal, string protocol, CancellationToken cancellationToken)
    {
        if (!await _admission.WaitAsync(_options.AdmissionWait, cancellationToken))
        {
            IngestMetrics.Count(SignalName(signal), protocol, "refused", 0);
            throw new OverloadedException($"{_options.MaxConcurrentRequests} requests are already being decoded; retry later", _options.RetryAfter, unavailable: false);
        }

        return new Admission(_admission);
    }

    /// <summary>
    /// Decodes, logs durably and enqueues one request. Returns once the request is in the log, with the counts of
    /// accepted and rejected items (the signals went on to the pipeline: the returned <see cref="DecodedRequest.Signals"/> is empty).
    /// Throws <see cref="InvalidRequestException"/> (bad input) or <see cref="OverloadedException"/> (retry later).
    /// </summary>
    public async Task<DecodedRequest> AcceptAsync(IngestSignal signal, string protocol, PayloadFormat format, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var buffer = RequestBuffer.CopyOf(body.Span);
        return await AcceptAsync(signal, protocol, format, buffer, cancellationToken);
    }

    /// <summary>
    /// <see cref="AcceptAsync(IngestSignal, string, PayloadFormat, ReadOnlyMemory{byte}, CancellationToken)"/> for a body the
    /// receiver read into a pooled buffer: the log writes the record from that buffer. The caller keeps ownership and may
    /// dispose it once this returns or throws (the log is done with it by then).
    /// </summary>
    internal async Task<DecodedRequest> AcceptAsync(IngestSignal signal, string protocol, PayloadFormat format, RequestBuffer body, CancellationToken cancellationToken)
    {
        var signalName = SignalName(signal);
        if (_queue.Count >= _queue.Capacity)
        {
            IngestMetrics.Count(signalName, protocol, "refused", 0);
            throw new OverloadedException($"ingest queue is full ({_queue.Capacity} requests waiting); retry later", _options.RetryAfter, unavailable: false);
        }

        using var activity = IngestTelemetry.Source.StartActivity(signal switch
        {
            IngestSignal.Traces => "ingest traces",
            IngestSignal.Metrics => "ingest metrics",
            IngestSignal.Logs => "ingest logs",
            IngestSignal.Lineage => "ingest lineage",
            _ => "ingest remote write",
        });
        activity?.SetTag("autopilot.signal", signalName);
        activity?.SetTag("autopilot.protocol", protocol);
        activity?.SetTag("autopilot.request.bytes", body.Length);
        PreparedRequest prepared;
        try
        {
            prepared = PreparedRequest.Decode(_decoder, signal, format, body);
        }
        catch (InvalidRequestException e)
        {
            IngestMetrics.Count(signalName, protocol, "invalid", 0);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, "invalid request");
            LogInvalid(_logger, signalName, protocol, e.Message);
            throw;
        }

        using var _ = prepared;
        var decoded = prepared.Result;
        activity?.SetTag("autopilot.items.accepted", decoded.AcceptedItems);
        activity?.SetTag("autopilot.items.rejected", decoded.RejectedItems);
        activity?.SetTag("autopilot.redacted_signals", decoded.RedactedSignals);

        long lsn;

        // What was redacted must not reach the disk: such a request is logged as its redacted signals, encoded into a
        // pooled buffer; anything else is logged as its body, straight from the receiver's buffer. Either buffer stays
        // ours (unchanged) until the append completes, and is returned to the pool after it.
        var record = prepared.Record(body, format);
        try
        {
            try
            {
                // Not cancellable: once the log has given the record a position it is written, and every
                // position must reach the sequencer, or the requests after it would wait forever.
                lsn = await _wal.AppendFramedAsync(record, (byte)signal);
            }
            catch (WalFullException) when (CheckpointableLsn() > _wal.CheckpointLsn)
            {
                // More is durable than the log has checkpointed (it checkpoints at most once a second):
                // checkpoint now so those segments can go, and try once more.
                await _wal.CheckpointAsync(CheckpointableLsn(), CancellationToken.None);
                lsn = await _wal.AppendFramedAsync(record, (byte)signal);
            }
        }
        catch (WalFullException e)
        {
            IngestMetrics.Count(signalName, protocol, "refused", decoded.AcceptedItems + decoded.RejectedItems);
            throw new OverloadedException($"write-ahead log is at its size cap: {e.Message}", _options.RetryAfter, unavailable: true, e);
        }
        catch (WalOverloadedException e)
        {
            IngestMetrics.Count(signalName, protocol, "refused", decoded.AcceptedItems + decoded.RejectedItems);
            throw new OverloadedException($"write-ahead log cannot keep up: {e.Message}", _options.RetryAfter, unavailable: false, e);
        }

        activity?.SetTag("autopilot.wal.lsn", lsn);

        // Durable from here on: if the queue is closed (shutting down) the log replays it on the next start.
        var batch = new IngestBatch(lsn, signal, prepared.Signals);
        await _sequencer!.EnterAsync(lsn, async () =>
        {
            await _queue.OfferAsync(batch, CancellationToken.None);
            Interlocked.Exchange(ref _lastEnteredLsn, lsn);
        });

        // Past half the cap of un-checkpointed log, ask the downstream to make its state durable now
        // rather than at its next interval, so the log can be trimmed before it refuses requests.
        if (_downstream is not null && _wal.BytesOnDisk > _options.WalMaxBytes / 2)
        {
            _downstream.RequestDurability();
        }
        IngestMetrics.Count(signalName, protocol, "accepted", decoded.AcceptedItems);
        if (decoded.RejectedItems > 0)
        {
            IngestMetrics.Items.Add(decoded.RejectedItems, new("signal", signalName), new("protocol", protocol), new("outcome", "invalid"));
        }

        return decoded;
    }

    /// <summary>Stops taking requests, drains the pipeline within <paramref name="deadline"/>, checkpoints and closes.</summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync();
        }

        var drained = await _graph.DrainAsync(deadline, _time);
        if (!drained)
        {
            LogDrainTimedOut(_logger, deadline);
        }

        var checkpoint = CheckpointableLsn();
        if (checkpoint > _wal.CheckpointLsn)
        {
            await _wal.CheckpointAsync(checkpoint);
        }

        await _wal.DisposeAsync();
        Inventory.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(10));

    private void Heartbeat()
    {
        var lsn = Interlocked.Read(ref _lastEnteredLsn);
        if (lsn >= 0 && _queue.Count == 0)
        {
            // Best effort: a full queue means traffic, which carries barriers itself.
            _queue.TryOffer(new IngestBatch(lsn, IngestSignal.Traces, []));
        }

        if (_downstream is not null && _wal.BytesOnDisk > _options.WalMaxBytes / 2)
        {
            _downstream.RequestDurability();
        }
    }

    private sealed class Admission(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }

    internal static string SignalName(IngestSignal signal) => signal switch
    {
        IngestSignal.Traces => "traces",
        IngestSignal.Metrics => "metrics",
        IngestSignal.Logs => "logs",
        IngestSignal.Lineage => "lineage",
        IngestSignal.RemoteWrite => "metrics",
        _ => "unknown",
    };

    private async ValueTask ApplyAsync(ReadOnlyMemory<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var fallback = _time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        _delta.Clear();
        foreach (var batch in batches.Span)
        {
            // Replay covers what the downstream lacks; the inventory may already have some of it.
            if (batch.Lsn <= Inventory.AppliedLsn)
            {
                continue;
            }

            foreach (var segment in new SignalSegments(batch.Signals))
            {
                foreach (ref readonly var signal in segment)
                {
                    _delta.Add(in signal, fallback);
                }
            }

            _delta.MarkLsn(batch.Lsn);
        }

        if (_delta.Lsn < 0)
        {
            return;
        }

        // A failed write (disk full, database locked) must not end ingest: the requests are safe in the log,
        // so keep trying, backing off, until it works or the graph is stopped.
        for (var delay = TimeSpan.FromMilliseconds(100); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks)))
        {
            try
            {
                Inventory.Apply(_delta);
                break;
            }
            catch (Microsoft.Data.Sqlite.SqliteException e)
            {
                LogApplyFailed(_logger, delay, e);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }

        Interlocked.Exchange(ref _pendingCheckpoint, _delta.Lsn);

        // The inventory holds the applied position itself; the log's checkpoint only lets old segments go,
        // so once a second is enough.
        if (_time.GetElapsedTime(_lastCheckpointTimestamp) >= TimeSpan.FromSeconds(1))
        {
            _lastCheckpointTimestamp = _time.GetTimestamp();
            var checkpoint = CheckpointableLsn();
            if (checkpoint > _wal.CheckpointLsn)
            {
                await _wal.CheckpointAsync(checkpoint, cancellationToken);
            }
        }
    }

    /// <summary>The log may be trimmed up to the position both the inventory and the downstream have made durable.</summary>
    private long CheckpointableLsn()
    {
        var applied = Interlocked.Read(ref _pendingCheckpoint);
        return _downstream is null ? applied : Math.Min(applied, _downstream.DurableLsn);
    }

    /// <summary>Feeds every logged request after <paramref name="afterLsn"/> through the graph, before live traffic.</summary>
    private async Task<long> ReplayAsync(long afterLsn, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _pendingCheckpoint, Inventory.AppliedLsn);
        using var reader = _wal.OpenReader(afterLsn);
        var records = new WalRecordBatch();
        long replayed = 0;
        long last = -1;
        while (await reader.ReadBatchAsync(records, cancellationToken))
        {
            for (var i = 0; i < records.Count; i++)
            {
                var record = records[i];
                var decoded = new DecodedRequest();
                try
                {
                    var payload = record.Payload.Span;
                    if (payload.Length == 0)
                    {
                        throw new InvalidRequestException("empty log record");
                    }

                    _decoder.Decode((IngestSignal)record.Type, (PayloadFormat)payload[0], payload[1..], decoded);
                }
                catch (InvalidRequestException e)
                {
                    // It was valid when it was accepted; a decoder change may disagree. Log it and go on.
                    LogReplaySkipped(_logger, record.Lsn, e.Message);
                    continue;
                }

                await _queue.OfferAsync(new IngestBatch(record.Lsn, (IngestSignal)record.Type, decoded.Signals), cancellationToken);
                replayed++;
                last = record.Lsn;
            }
        }

        _sequencer = new LsnSequencer(_wal.LastLsn + 1);
        Interlocked.Exchange(ref _lastEnteredLsn, Math.Max(last, afterLsn));

        // A heartbeat batch (no signals, the last position that entered) keeps the downstream's barriers
        // and snapshots going when no traffic arrives, so the log can still be trimmed; without it a log
        // at its size cap would refuse every request and never get the checkpoint that frees it.
        _heartbeat = _time.CreateTimer(_ => Heartbeat(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        // Answer queries only once the inventory reflects everything acknowledged before the restart.
        while (Inventory.AppliedLsn < last && !_graph.Completion.IsCompleted)
        {
            await Task.Delay(10, cancellationToken);
        }

        return replayed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ingest started: replaying {Replayed} requests from the write-ahead log after position {Lsn}")]
    private static partial void LogStarted(ILogger logger, long replayed, long lsn);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused a {Signal} request over {Protocol} as invalid: {Reason}")]
    private static partial void LogInvalid(ILogger logger, string signal, string protocol, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write to the asset inventory; retrying in {Delay}")]
    private static partial void LogApplyFailed(ILogger logger, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped log record {Lsn} on replay: {Reason}")]
    private static partial void LogReplaySkipped(ILogger logger, long lsn, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest pipeline did not drain within {Deadline}; the write-ahead log replays the rest on the next start")]
    private static partial void LogDrainTimedOut(ILogger logger, TimeSpan deadline);
}
