using System.Globalization;
using Autopilot.Engines.Incidents;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Signals;
using Autopilot.Pipeline;
using Autopilot.Rca.Graph.Building;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Rca.Graph;

/// <summary>
/// Builds the asset graph continuously from canonical signals, downstream of ingest (an
/// <see cref="IIngestDownstream"/>): services, topics, datasets and jobs as nodes; calls (client/server span
/// pairs, as the Collector's servicegraph connector pairs them), produces/consumes (messaging spans), reads/writes
/// (database spans), input-of/outputs and derives-from (OpenLineage) as edges with traffic stats; deploys, schema
/// and lifecycle changes as <see cref="ChangeEvent"/>s. Everything runs on event time, so a replayed log builds
/// the same graph.
/// </summary>
/// <remarks>
/// One writer task (behind its own async boundary) updates the builder's state per signal without locks or
/// allocation, publishes what changed to <see cref="Graph"/> at most every <see cref="GraphBuilderOptions.PublishInterval"/>
/// (a whole batch at a time, under one lock), and every
/// <see cref="GraphBuilderOptions.FlushInterval"/> commits the changed versions with the log position they cover
/// to the <see cref="IGraphStore"/>. Batches at or below that position are skipped, so the replay after a restart
/// never counts a request twice. A failed commit is retried at the next interval with everything changed since;
/// the log is not trimmed past <see cref="DurableLsn"/> meanwhile.
/// </remarks>
public sealed partial class GraphBuilder : IIngestDownstream
{
    private const int MaxRecentVersions = 8;
    private const long NanosPerMilli = 1_000_000;
    private const string TopicPrefix = "urn:autopilot:topic:";
    private static readonly long PruneEvery = TimeSpan.FromHours(1).Ticks * 100;

    private readonly GraphBuilderOptions _options;
    private readonly IGraphStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _edgeIdle;
    private readonly long _lineageIdle;
    private readonly long _nodeIdle;
    private readonly long _retention;
    private readonly long _pairingWindow;
    private readonly long _deployOverlap;
    private readonly long _maxFutureSkew;

    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<EdgeKey, EdgeState> _edges = [];
    private readonly Dictionary<(int Client, string Peer), NodeState> _virtualPeers = [];
    private readonly SpanPairing _pairing;

    private readonly List<NodeState> _publishNodes = [];
    private readonly List<EdgeState> _publishEdges = [];
    private readonly List<NodeVersion> _finishedNodesForPublish = [];
    private readonly List<EdgeVersion> _finishedEdgesForPublish = [];
    private readonly List<ChangeEvent> _changesForPublish = [];
    private readonly List<NodeState> _flushNodes = [];
    private readonly List<EdgeState> _flushEdges = [];
    private readonly List<NodeVersion> _finishedNodesForFlush = [];
    private readonly List<EdgeVersion> _finishedEdgesForFlush = [];
    private readonly List<ChangeEvent> _changesForFlush = [];
    private readonly List<NodeVersion> _nodeScratch = [];
    private readonly List<EdgeVersion> _edgeScratch = [];

    private long _appliedLsn;
    private long _durableLsn;
    private long _spanWatermark = long.MinValue;
    private long _watermark = long.MinValue;
    private long _futureLimit = long.MaxValue;
    private long _prunedBefore = long.MinValue;
    private long _lastFlushTimestamp;
    private long _lastPublishTimestamp;
    private long _lastFailureLogTimestamp;
    private int _durabilityRequested;
    private int _nextNodeId;
    private bool _stateDirty;

    // The span signal just processed: the topic/dataset record the normalizer emits right after it takes its duration.
    private TraceId _lastSpanTrace;
    private ulong _lastSpanId;
    private double _lastSpanDurationMs = double.NaN;

    private Tally _tally;

    private GraphBuilder(GraphBuilderOptions options, IGraphStore store, TimeProvider time, ILogger logger)
    {
        _options = options;
        _store = store;
        _time = time;
        _logger = logger;
        _edgeIdle = Nanos(options.EdgeIdleTimeout);
        _lineageIdle = Nanos(options.LineageIdleTimeout);
        _nodeIdle = Nanos(options.NodeIdleTimeout);
        _retention = Nanos(options.Retention);
        _pairingWindow = Nanos(options.PairingWindow);
        _deployOverlap = Nanos(options.DeployOverlap);
        _maxFutureSkew = Nanos(options.MaxFutureSkew);
        _pairing = new SpanPairing(options.MaxPendingPairs);
        Graph = new AssetGraph();
        Relations = new GraphRelations(Graph, options.RelationHops);
        _lastFlushTimestamp = time.GetTimestamp();
    }

    /// <summary>The graph with its history, for readers (the RCA analyzer, <c>GET /api/graph</c>, the dashboard).</summary>
    public AssetGraph Graph { get; }

    /// <summary>Graph adjacency for the incident correlator: related = within <see cref="GraphBuilderOptions.RelationHops"/> hops.</summary>
    public IAssetRelations Relations { get; }

    public GraphBuilderOptions Options => _options;

    /// <summary>The last log position whose signals the graph has taken in (published to <see cref="Graph"/>).</summary>
    public long AppliedLsn => Interlocked.Read(ref _appliedLsn);

    /// <summary>The last log position whose effects are in the store; replay after a restart starts after it.</summary>
    public long DurableLsn => Interlocked.Read(ref _durableLsn);

    /// <summary>Client and server spans waiting for their other half.</summary>
    public int PendingSpans => _pairing.Count;

    /// <summary>Opens the builder on <paramref name="store"/>: loads the graph and the builder's state as last committed.</summary>
    public static GraphBuilder Open(GraphBuilderOptions options, IGraphStore store, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        options.Validate();
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<GraphBuilder>();
        var builder = new GraphBuilder(options, store, time ?? TimeProvider.System, logger);
        builder.Load(store.Load());
        return builder;
    }

    public Sink<IngestBatch, Task> CreateSink() =>
        Flow.Create<IngestBatch>()
            .Async(_options.QueueCapacity)
            .Named("graph-in")
            .To(Sink.ForEachBatch<IngestBatch>(OnBatchesAsync, OnCompleteAsync));

    public void RequestDurability() => Interlocked.Exchange(ref _durabilityRequested, 1);

    /// <summary>
    /// Takes in one batch (skipped when its position is already applied), publishes to <see cref="Graph"/> when the
    /// publish interval has passed and commits to the store when the flush interval has. The pipeline does the same
    /// per batch of requests; tools and tests call this (with a zero publish interval to see every batch at once).
    /// </summary>
    public void Apply(IngestBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ApplyOne(batch);
        AfterBatches();
    }

    /// <summary>Closes idle versions, publishes and commits everything now (a graceful stop; tests).</summary>
    public void Flush()
    {
        ExpirePairs();
        SweepIdle();
        Publish();
        Commit();
    }

    private ValueTask OnBatchesAsync(ReadOnlyMemory<IngestBatch> batches, CancellationToken cancellationToken)
    {
        foreach (var batch in batches.Span)
        {
            ApplyOne(batch);
        }

        AfterBatches();
        return ValueTask.CompletedTask;
    }

    private ValueTask OnCompleteAsync(CancellationToken cancellationToken)
    {
        Flush();
        return ValueTask.CompletedTask;
    }

    // ---- per signal (hot path: no LINQ, no logging, no allocation in steady state) ---------------------

    private void ApplyOne(IngestBatch batch)
    {
        var count = batch.Signals.Count;
        if (batch.Lsn <= _appliedLsn)
        {
            _tally.Replayed += count;
            return;
        }

        if (count > 0)
        {
            _futureLimit = ((_time.GetUtcNow().ToUnixTimeMilliseconds() * NanosPerMilli) + _maxFutureSkew);
            foreach (var segment in new SignalSegments(batch.Signals))
            {
                foreach (ref readonly var signal in segment)
                {
                    Process(in signal);
                }
            }
        }

        _tally.Applied += count;
        Interlocked.Exchange(ref _appliedLsn, batch.Lsn);
    }

    private void Process(in Signal signal)
    {
        if (string.IsNullOrEmpty(signal.Urn))
        {
            return;
        }

        var time = EventTime(signal.TimeUnixNano);
        if (time > _watermark)
        {
            _watermark = time;
        }

        switch (signal.Kind)
        {
            case SignalKind.Span:
                ProcessSpan(in signal, time);
                break;
            case SignalKind.Record:
                ProcessRecord(in signal, time);
                break;
            case SignalKind.Lineage:
                ProcessLineage(in signal, time);
                break;
            case SignalKind.Log:
                if (Touch(signal.Urn, time) is { } logNode && signal.Attributes.Get("service.version") is { } logVersion)
                {
                    ObserveVersion(logNode, logVersion, time);
                }

                break;
            default:
                Touch(signal.Urn, time);
                break;
        }
    }

    private long EventTime(long time)
    {
        if (time <= 0)
        {
            // No time on the item: the latest event time seen is the best guess that keeps replay deterministic.
            return _watermark != long.MinValue ? _watermark : _time.GetUtcNow().ToUnixTimeMilliseconds() * NanosPerMilli;
        }

        return time > _futureLimit ? _futureLimit : time;
    }

    private void ProcessSpan(in Signal signal, long time)
    {
        var node = Touch(signal.Urn, time);
        if (node is null)
        {
            return;
        }

        string? kind = null, parent = null, version = null, peerService = null, serverAddress = null, netPeerName = null;
        var dataClient = false;
        var attributes = signal.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            switch (attributes.KeyAt(i))
            {
                case "span.kind":
                    kind = attributes.ValueAt(i);
                    break;
                case "span.parent_id":
                    parent = attributes.ValueAt(i);
                    break;
                case "service.version":
                    version = attributes.ValueAt(i);
                    break;
                case "peer.service":
                    peerService = attributes.ValueAt(i);
                    break;
                case "server.address":
                    serverAddress = attributes.ValueAt(i);
                    break;
                case "net.peer.name":
                    netPeerName = attributes.ValueAt(i);
                    break;
                case "db.system" or "db.system.name" or "messaging.system":
                    dataClient = true;
                    break;
            }
        }

        _lastSpanTrace = signal.TraceId;
        _lastSpanId = signal.SpanId;
        _lastSpanDurationMs = signal.Value;
        if (version is not null)
        {
            ObserveVersion(node, version, time);
        }

        var durationNanos = double.IsFinite(signal.Value) && signal.Value > 0 ? (long)Math.Min(signal.Value * NanosPerMilli, TimeSpan.FromDays(1).Ticks * 100d) : 0;
        var end = time + durationNanos;
        if (end > _spanWatermark)
        {
            _spanWatermark = end;
        }

        bool isClient;
        ulong pairId;
        if (string.Equals(kind, "client", StringComparison.Ordinal))
        {
            if (dataClient)
            {
                // Database and messaging clients get reads/writes/produces edges from their records instead; their
                // servers are rarely instrumented, so waiting for a server span would only fill the store.
                return;
            }

            isClient = true;
            pairId = signal.SpanId;
        }
        else if (string.Equals(kind, "server", StringComparison.Ordinal) && parent is not null
            && ulong.TryParse(parent, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out pairId) && pairId != 0)
        {
            isClient = false;
        }
        else
        {
            return;
        }

        var pending = new PendingSpan
        {
            IsClient = isClient,
            Error = signal.Status == SignalStatus.Error,
            Service = node,
            Start = time,
            ExpiresAt = end + _pairingWindow,
            DurationMs = signal.Value,
            Peer = isClient ? peerService ?? serverAddress ?? netPeerName : null,
        };
        _stateDirty = true;
        if (_pairing.Offer(new PairKey(signal.TraceId.High, signal.TraceId.Low, pairId), in pending, out var other))
        {
            _tally.Paired += 2;
            if (isClient)
            {
                ObserveCall(in pending, other.Service, other.Error);
            }
            else
            {
                ObserveCall(in other, node, pending.Error);
            }
        }
    }

    private void ObserveCall(in PendingSpan client, NodeState server, bool serverError)
    {
        if (ReferenceEquals(client.Service, server))
        {
            return; // A service calling itself says nothing about how faults travel between assets.
        }

        if (Edge(client.Service, server, EdgeKind.Calls, client.Start) is { } edge)
        {
            AddTraffic(edge, client.Error || serverError, client.DurationMs);
        }
    }

    private void ProcessRecord(in Signal signal, long time)
    {
        var asset = Touch(signal.Urn, time);
        if (asset is null)
        {
            return;
        }

        string? service = null, spanKind = null, dbSystem = null, messagingSystem = null;
        var attributes = signal.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            switch (attributes.KeyAt(i))
            {
                case "service":
                    service = attributes.ValueAt(i);
                    break;
                case "span.kind":
                    spanKind = attributes.ValueAt(i);
                    break;
                case "db.system":
                    dbSystem = attributes.ValueAt(i);
                    break;
                case "messaging.system":
                    messagingSystem = attributes.ValueAt(i);
                    break;
            }
        }

        // Only the records the normalizer derives from spans name their service; lineage row counts and
        // assertions do not, and say nothing about edges.
        if (service is null || Touch(service, time) is not { } caller)
        {
            return;
        }

        var duration = signal.SpanId == _lastSpanId && signal.TraceId == _lastSpanTrace ? _lastSpanDurationMs : double.NaN;
        var error = signal.Status == SignalStatus.Error;
        EdgeState? edge;
        if (messagingSystem is not null || signal.Urn.StartsWith(TopicPrefix, StringComparison.Ordinal))
        {
            if (messagingSystem is not null && !asset.Properties.ContainsKey("messaging.system"))
            {
                SetProperty(asset, "messaging.system", messagingSystem);
            }

            edge = Operations.MessagingDirection(spanKind, signal.Name) switch
            {
                EdgeKind.Produces => Edge(caller, asset, EdgeKind.Produces, time),
                EdgeKind.Consumes => Edge(asset, caller, EdgeKind.Consumes, time),
                _ => null,
            };
        }
        else if (dbSystem is not null)
        {
            if (!asset.Properties.ContainsKey("db.system"))
            {
                SetProperty(asset, "db.system", dbSystem);
            }

            edge = Edge(caller, asset, Operations.DatabaseDirection(signal.Name), time);
        }
        else
        {
            return;
        }

        if (edge is not null)
        {
            AddTraffic(edge, error, duration);
        }
    }

    private void ProcessLineage(in Signal signal, long time)
    {
        var node = Touch(signal.Urn, time);
        if (node is null)
        {
            return;
        }

        string? direction = null, job = null, fingerprint = null, fields = null, lifecycle = null, derivedFrom = null, jobType = null, processingType = null;
        var attributes = signal.Attributes;
        for (var i = 0; i < attributes.Count; i++)
        {
            switch (attributes.KeyAt(i))
            {
                case "lineage.direction":
                    direction = attributes.ValueAt(i);
                    break;
                case "lineage.job":
                    job = attributes.ValueAt(i);
                    break;
                case "schema.fingerprint":
                    fingerprint = attributes.ValueAt(i);
                    break;
                case "schema.fields":
                    fields = attributes.ValueAt(i);
                    break;
                case "dataset.lifecycle_state":
                    lifecycle = attributes.ValueAt(i);
                    break;
                case "lineage.derived_from":
                    derivedFrom = attributes.ValueAt(i);
                    break;
                case "lineage.job_type":
                    jobType = attributes.ValueAt(i);
                    break;
                case "lineage.processing_type":
                    processingType = attributes.ValueAt(i);
                    break;
            }
        }

        if (string.Equals(node.Kind, "job", StringComparison.Ordinal))
        {
            if (jobType is not null && !node.Properties.ContainsKey("job.type"))
            {
                SetProperty(node, "job.type", jobType);
            }

            if (processingType is not null && !node.Properties.ContainsKey("job.processing_type"))
            {
                SetProperty(node, "job.processing_type", processingType);
            }

            return;
        }

        // A run counts on its edges once, when it ends: COMPLETE is a request, FAIL / ABORT a failed one.
        var name = signal.Name;
        var ended = name is "COMPLETE" or "FAIL" or "ABORT";
        var failed = signal.Status == SignalStatus.Error;
        var output = string.Equals(direction, "output", StringComparison.Ordinal);
        if (job is not null && direction is not null && Touch(job, time) is { } jobNode)
        {
            var edge = output ? Edge(jobNode, node, EdgeKind.Outputs, time) : Edge(node, jobNode, EdgeKind.InputOf, time);
            if (edge is not null && ended)
            {
                AddTraffic(edge, failed, double.NaN);
            }
        }

        if (derivedFrom is not null)
        {
            foreach (var source in derivedFrom.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Touch(source, time) is { } sourceNode && Edge(sourceNode, node, EdgeKind.DerivesFrom, time) is { } derived && ended)
                {
                    AddTraffic(derived, failed, double.NaN);
                }
            }
        }

        // The writer defines a dataset's schema; readers (inputs) may describe it in their engine's types, so an
        // input only supplies the schema of a dataset that has none yet.
        if (fingerprint is not null && (direction is null || output || node.SchemaFingerprint is null))
        {
            ObserveSchema(node, fingerprint, fields, time);
        }

        if (lifecycle is not null && (name is "COMPLETE" or "JOB" or "DATASET"))
        {
            var by = job is not null && Urn.TryParse(job, out _, out _, out var jobName) ? $" by {jobName}" : string.Empty;
            AddChange(new ChangeEvent(node.Urn, "lifecycle", time, null, lifecycle, $"{node.Name} {lifecycle}{by}"));
        }
    }

    // ---- nodes, edges, changes ---------------------------------------------------------------------------

    private NodeState? Touch(string urn, long time)
    {
        if (!_nodes.TryGetValue(urn, out var node))
        {
            return CreateNode(urn, time);
        }

        switch (node.Observe(time, _nodeIdle))
        {
            case Sighting.Gap:
                FinishNodeVersion(node, node.LastSeen + 1);
                node.StartNextVersion(node.LastSeen + 1, time);
                MarkPublish(node);
                break;
            case Sighting.Changed:
                MarkPublish(node);
                break;
        }

        MarkFlush(node);
        return node;
    }

    private NodeState? CreateNode(string urn, long time)
    {
        if (_nodes.Count >= _options.MaxNodes)
        {
            _tally.DroppedNodes++;
            return null;
        }

        var node = NewNode(urn);
        node.ValidFrom = time;
        node.LastSeen = time;
        _nodes.Add(urn, node);
        MarkPublish(node);
        MarkFlush(node);
        return node;
    }

    private NodeState NewNode(string urn) =>
        Urn.TryParse(urn, out var kind, out var ns, out var name)
            ? new NodeState(_nextNodeId++, urn, kind, ns, name)
            : new NodeState(_nextNodeId++, urn, "unknown", null, urn);

    private EdgeState? Edge(NodeState from, NodeState to, EdgeKind kind, long time)
    {
        var key = new EdgeKey(from.Id, to.Id, kind);
        if (!_edges.TryGetValue(key, out var edge))
        {
            if (_edges.Count >= _options.MaxEdges)
            {
                _tally.DroppedEdges++;
                return null;
            }

            edge = new EdgeState(from, to, kind) { ValidFrom = time, LastSeen = time };
            _edges.Add(key, edge);
            from.EdgeCount++;
            to.EdgeCount++;
        }
        else if (edge.Observe(time, IdleOf(kind)) == Sighting.Gap)
        {
            FinishEdgeVersion(edge);
            edge.StartNextVersion(edge.LastSeen + 1, time);
            edge.ResetTraffic();
        }

        // Traffic changes with nearly every sighting: publish and persist the edge with this batch.
        MarkPublish(edge);
        MarkFlush(edge);
        return edge;
    }

    private static void AddTraffic(EdgeState edge, bool error, double latencyMs)
    {
        edge.Requests++;
        if (error)
        {
            edge.Errors++;
        }

        if (double.IsFinite(latencyMs))
        {
            edge.LatencySumMs += latencyMs;
            (edge.Latency ??= new LatencyHistogram()).Add(latencyMs);
        }
    }

    private long IdleOf(EdgeKind kind) => kind is EdgeKind.InputOf or EdgeKind.Outputs or EdgeKind.DerivesFrom ? _lineageIdle : _edgeIdle;

    private void ObserveVersion(NodeState node, string version, long time)
    {
        if (node.Version is null)
        {
            node.Version = version;
            SetProperty(node, "service.version", version);
            RememberVersion(node, version, time);
            return;
        }

        if (string.Equals(version, node.Version, StringComparison.Ordinal))
        {
            RememberVersion(node, version, time);
            return;
        }

        var recent = node.RecentVersions;
        for (var i = 0; i < recent.Count; i++)
        {
            if (string.Equals(recent[i].Version, version, StringComparison.Ordinal) && time - recent[i].LastSeen <= _deployOverlap)
            {
                // Old and new pods overlap during a rollout: the same deploy, not another one.
                RememberVersion(node, version, time);
                return;
            }
        }

        if (time < node.ValidFrom)
        {
            RememberVersion(node, version, time); // Late spans from before the current version began.
            return;
        }

        AddChange(new ChangeEvent(node.Urn, "deploy", time, node.Version, version, $"{node.Name} {node.Version} → {version}"));
        FinishNodeVersion(node, time);
        node.StartNextVersion(time, time);
        node.Version = version;
        node.Properties["service.version"] = version;
        RememberVersion(node, version, time);
        MarkPublish(node);
    }

    private static void RememberVersion(NodeState node, string version, long time)
    {
        var recent = node.RecentVersions;
        var oldest = 0;
        for (var i = 0; i < recent.Count; i++)
        {
            if (string.Equals(recent[i].Version, version, StringComparison.Ordinal))
            {
                if (time > recent[i].LastSeen)
                {
                    recent[i] = (recent[i].Version, time);
                }

                return;
            }

            if (recent[i].LastSeen < recent[oldest].LastSeen)
            {
                oldest = i;
            }
        }

        if (recent.Count >= MaxRecentVersions)
        {
            recent.RemoveAt(oldest);
        }

        recent.Add((version, time));
    }

    private void ObserveSchema(NodeState node, string fingerprint, string? fields, long time)
    {
        if (node.SchemaFingerprint is null)
        {
            node.SchemaFingerprint = fingerprint;
            node.SchemaFields = fields;
            SetProperty(node, "schema.fingerprint", fingerprint);
            return;
        }

        if (string.Equals(node.SchemaFingerprint, fingerprint, StringComparison.Ordinal) || time < node.ValidFrom)
        {
            return;
        }

        AddChange(new ChangeEvent(node.Urn, "schema", time, node.SchemaFingerprint, fingerprint, SchemaDiff.Describe(node.Name, node.SchemaFields, fields, node.SchemaFingerprint, fingerprint)));
        FinishNodeVersion(node, time);
        node.StartNextVersion(time, time);
        node.SchemaFingerprint = fingerprint;
        node.SchemaFields = fields;
        node.Properties["schema.fingerprint"] = fingerprint;
        MarkPublish(node);
    }

    /// <summary>Adds a property to the current version in place (it describes the asset, it does not change it).</summary>
    private void SetProperty(NodeState node, string key, string value)
    {
        node.Properties[key] = value;
        MarkPublish(node);
        MarkFlush(node);
    }

    private void AddChange(ChangeEvent change)
    {
        _changesForPublish.Add(change);
        _changesForFlush.Add(change);
        switch (change.Kind)
        {
            case "deploy":
                _tally.Deploys++;
                break;
            case "schema":
                _tally.Schemas++;
                break;
            default:
                _tally.Lifecycles++;
                break;
        }
    }

    private void FinishNodeVersion(NodeState node, long validTo)
    {
        var version = new NodeVersion(new GraphNode(node.Urn, node.Kind, node.ValidFrom, validTo, new Dictionary<string, string>(node.Properties, StringComparer.Ordinal)), node.Seq, node.LastSeen);
        _finishedNodesForPublish.Add(version);
        _finishedNodesForFlush.Add(version);
    }

    private void FinishEdgeVersion(EdgeState edge)
    {
        var validTo = edge.IsOpen ? edge.LastSeen + 1 : edge.ValidTo;
        var version = new EdgeVersion(edge.ToGraphEdge() with { ValidToUnixNano = validTo }, edge.Seq, edge.LastSeen, edge.Latency?.ToBytes());
        _finishedEdgesForPublish.Add(version);
        _finishedEdgesForFlush.Add(version);
    }

    private void MarkPublish(TemporalState state)
    {
        if (!state.PublishPending)
        {
            state.PublishPending = true;
            if (state is EdgeState edge)
            {
                _publishEdges.Add(edge);
            }
            else
            {
                _publishNodes.Add((NodeState)state);
            }
        }
    }

    private void MarkFlush(TemporalState state)
    {
        if (!state.FlushPending)
        {
            state.FlushPending = true;
            if (state is EdgeState edge)
            {
                _flushEdges.Add(edge);
            }
            else
            {
                _flushNodes.Add((NodeState)state);
            }
        }
    }

    // ---- per batch -------------------------------------------------------------------------------------

    private void AfterBatches()
    {
        ExpirePairs();
        var flush = Interlocked.Exchange(ref _durabilityRequested, 0) == 1 || _time.GetElapsedTime(_lastFlushTimestamp) >= _options.FlushInterval;
        if (flush)
        {
            SweepIdle();
        }

        if (flush || _options.PublishInterval == TimeSpan.Zero || _time.GetElapsedTime(_lastPublishTimestamp) >= _options.PublishInterval)
        {
            Publish();
        }

        if (flush)
        {
            Commit();
        }

        _tally.Report();
    }

    private void ExpirePairs()
    {
        _pairing.ExpireDue(_spanWatermark);
        var expired = _pairing.Expired;
        if (expired.Count == 0)
        {
            return;
        }

        _stateDirty = true;
        _tally.Evicted += _pairing.TakeEvicted();
        foreach (var span in expired)
        {
            if (span.IsClient && _options.VirtualPeers && span.Peer is { Length: > 0 } peer && VirtualPeer(span.Service, peer, span.Start) is { } callee)
            {
                _tally.Virtual++;
                ObserveCall(in span, callee, serverError: false);
            }
            else
            {
                _tally.Expired++;
            }
        }

        expired.Clear();
    }

    private NodeState? VirtualPeer(NodeState client, string peer, long time)
    {
        if (_virtualPeers.TryGetValue((client.Id, peer), out var known))
        {
            return Touch(known.Urn, time);
        }

        var urn = Urn.Create("service", client.Namespace ?? "default", peer);
        var created = !_nodes.ContainsKey(urn);
        var node = Touch(urn, time);
        if (node is null)
        {
            return null;
        }

        if (created)
        {
            SetProperty(node, "virtual", "true");
        }

        if (_virtualPeers.Count >= _options.MaxNodes)
        {
            _virtualPeers.Clear();
        }

        _virtualPeers[(client.Id, peer)] = node;
        return node;
    }

    /// <summary>Closes versions idle for longer than their timeout on the event-time watermark.</summary>
    private void SweepIdle()
    {
        if (_watermark == long.MinValue)
        {
            return;
        }

        foreach (var node in _nodes.Values)
        {
            if (node.CloseIfIdle(_watermark, _nodeIdle))
            {
                MarkPublish(node);
                MarkFlush(node);
            }
        }

        foreach (var edge in _edges.Values)
        {
            if (edge.CloseIfIdle(_watermark, IdleOf(edge.Kind)))
            {
                MarkPublish(edge);
                MarkFlush(edge);
            }
        }
    }

    private void Publish()
    {
        _lastPublishTimestamp = _time.GetTimestamp();
        if (_publishNodes.Count == 0 && _publishEdges.Count == 0 && _finishedNodesForPublish.Count == 0
            && _finishedEdgesForPublish.Count == 0 && _changesForPublish.Count == 0)
        {
            return;
        }

        _nodeScratch.Clear();
        _nodeScratch.AddRange(_finishedNodesForPublish);
        foreach (var node in _publishNodes)
        {
            node.PublishPending = false;
            _nodeScratch.Add(new NodeVersion(ToGraphNode(node), node.Seq, node.LastSeen));
        }

        _edgeScratch.Clear();
        _edgeScratch.AddRange(_finishedEdgesForPublish);
        foreach (var edge in _publishEdges)
        {
            edge.PublishPending = false;
            _edgeScratch.Add(new EdgeVersion(edge.ToGraphEdge(), edge.Seq, edge.LastSeen));
        }

        Graph.Apply(_nodeScratch, _edgeScratch, _changesForPublish);
        _publishNodes.Clear();
        _publishEdges.Clear();
        _finishedNodesForPublish.Clear();
        _finishedEdgesForPublish.Clear();
        _changesForPublish.Clear();
    }

    private static GraphNode ToGraphNode(NodeState node) =>
        new(node.Urn, node.Kind, node.ValidFrom, node.ValidToOrNull, new Dictionary<string, string>(node.Properties, StringComparer.Ordinal));

    /// <summary>Writes everything changed since the last successful commit, with the position it covers.</summary>
    private void Commit()
    {
        _lastFlushTimestamp = _time.GetTimestamp();
        var lsn = _appliedLsn;
        var prune = long.MinValue;
        if (_watermark != long.MinValue && _watermark - _retention > _prunedBefore + PruneEvery)
        {
            prune = _watermark - _retention;
        }

        if (lsn <= Interlocked.Read(ref _durableLsn) && prune == long.MinValue && _flushNodes.Count == 0 && _flushEdges.Count == 0
            && _finishedNodesForFlush.Count == 0 && _finishedEdgesForFlush.Count == 0 && _changesForFlush.Count == 0 && !_stateDirty)
        {
            return;
        }

        var nodes = new List<NodeVersion>(_finishedNodesForFlush.Count + _flushNodes.Count);
        nodes.AddRange(_finishedNodesForFlush);
        foreach (var node in _flushNodes)
        {
            nodes.Add(new NodeVersion(ToGraphNode(node), node.Seq, node.LastSeen, NodeBookkeeping.Write(node)));
        }

        var edges = new List<EdgeVersion>(_finishedEdgesForFlush.Count + _flushEdges.Count);
        edges.AddRange(_finishedEdgesForFlush);
        foreach (var edge in _flushEdges)
        {
            edges.Add(new EdgeVersion(edge.ToGraphEdge(), edge.Seq, edge.LastSeen, edge.Latency?.ToBytes()));
        }

        var commit = new GraphCommit(lsn, nodes, edges, [.. _changesForFlush], BuilderStateCodec.Write(_pairing, _spanWatermark, _watermark), prune);
        try
        {
            _store.Commit(commit);
        }
        catch (Exception e) when (e is GraphStoreException or InvalidOperationException or IOException or System.Data.Common.DbException)
        {
            // Everything stays marked: the next commit writes it together with what changes meanwhile.
            _tally.FlushFailures++;
            if (_lastFailureLogTimestamp == 0 || _time.GetElapsedTime(_lastFailureLogTimestamp) >= TimeSpan.FromMinutes(1))
            {
                _lastFailureLogTimestamp = _time.GetTimestamp();
                LogCommitFailed(_logger, _options.FlushInterval, e);
            }

            return;
        }

        foreach (var node in _flushNodes)
        {
            node.FlushPending = false;
        }

        foreach (var edge in _flushEdges)
        {
            edge.FlushPending = false;
        }

        _flushNodes.Clear();
        _flushEdges.Clear();
        _finishedNodesForFlush.Clear();
        _finishedEdgesForFlush.Clear();
        _changesForFlush.Clear();
        _stateDirty = false;
        _tally.Flushes++;
        Interlocked.Exchange(ref _durableLsn, lsn);
        if (prune != long.MinValue)
        {
            _prunedBefore = prune;
            PruneStates(prune);
            Graph.Prune(prune);
        }
    }

    private void PruneStates(long before)
    {
        List<EdgeKey>? goneEdges = null;
        foreach (var (key, edge) in _edges)
        {
            if (!edge.IsOpen && edge.ValidTo < before && !edge.FlushPending && !edge.PublishPending)
            {
                (goneEdges ??= []).Add(key);
            }
        }

        foreach (var key in goneEdges ?? [])
        {
            var edge = _edges[key];
            edge.From.EdgeCount--;
            edge.To.EdgeCount--;
            _edges.Remove(key);
        }

        List<string>? goneNodes = null;
        foreach (var (urn, node) in _nodes)
        {
            if (!node.IsOpen && node.ValidTo < before && node.EdgeCount == 0 && !node.FlushPending && !node.PublishPending)
            {
                (goneNodes ??= []).Add(urn);
            }
        }

        foreach (var urn in goneNodes ?? [])
        {
            _nodes.Remove(urn);
        }

        if (goneNodes is not null)
        {
            _virtualPeers.Clear();
        }
    }

    // ---- start -----------------------------------------------------------------------------------------

    private void Load(GraphStoreContent content)
    {
        Graph.Apply(content.Nodes, content.Edges, content.Changes);
        foreach (var version in content.Nodes)
        {
            // Rows come in version order per URN: the last one is the current version, the one before sets its floor.
            var n = version.Node;
            if (!_nodes.TryGetValue(n.Urn, out var node))
            {
                node = NewNode(n.Urn);
                _nodes[n.Urn] = node;
            }
            else if (node.Seq > version.Seq)
            {
                continue;
            }
            else if (node.Seq < version.Seq)
            {
                node.Floor = node.ValidTo;
            }

            node.Seq = version.Seq;
            node.ValidFrom = n.ValidFromUnixNano;
            node.ValidTo = n.ValidToUnixNano ?? TemporalState.OpenEnd;
            node.LastSeen = version.LastSeenUnixNano;
            node.Properties.Clear();
            foreach (var (key, value) in n.Properties)
            {
                node.Properties[key] = value;
            }

            node.Version = n.Properties.GetValueOrDefault("service.version");
            node.SchemaFingerprint = n.Properties.GetValueOrDefault("schema.fingerprint");
            node.RecentVersions.Clear();
            node.SchemaFields = null;
            NodeBookkeeping.Read(version.State, node);
        }

        foreach (var version in content.Edges)
        {
            var e = version.Edge;
            var from = PlaceholderNode(e.From, e.ValidFromUnixNano);
            var to = PlaceholderNode(e.To, e.ValidFromUnixNano);
            var key = new EdgeKey(from.Id, to.Id, e.Kind);
            if (!_edges.TryGetValue(key, out var edge))
            {
                edge = new EdgeState(from, to, e.Kind);
                _edges.Add(key, edge);
                from.EdgeCount++;
                to.EdgeCount++;
            }
            else if (edge.Seq > version.Seq)
            {
                continue;
            }
            else if (edge.Seq < version.Seq)
            {
                edge.Floor = edge.ValidTo;
            }

            edge.Seq = version.Seq;
            edge.ValidFrom = e.ValidFromUnixNano;
            edge.ValidTo = e.ValidToUnixNano ?? TemporalState.OpenEnd;
            edge.LastSeen = version.LastSeenUnixNano;
            edge.Requests = e.Stats.Requests;
            edge.Errors = e.Stats.Errors;
            edge.LatencySumMs = e.Stats.LatencySumMs;
            edge.Latency = version.Histogram is { } bytes ? LatencyHistogram.FromBytes(bytes) : null;
        }

        if (content.BuilderState is { } state && !BuilderStateCodec.TryRead(state, urn => _nodes.GetValueOrDefault(urn), _pairing, out _spanWatermark, out _watermark))
        {
            LogStateUnreadable(_logger);
        }

        _appliedLsn = content.Lsn;
        _durableLsn = content.Lsn;
        if (_watermark != long.MinValue)
        {
            _prunedBefore = _watermark - _retention;
        }

        LogLoaded(_logger, _nodes.Count, _edges.Count, content.Changes.Count, content.Lsn);
    }

    /// <summary>A node an edge row names; made from the URN when the store kept no row for it (never published).</summary>
    private NodeState PlaceholderNode(string urn, long time)
    {
        if (!_nodes.TryGetValue(urn, out var node))
        {
            node = NewNode(urn);
            node.ValidFrom = node.LastSeen = time;
            node.ValidTo = time + 1;
            _nodes[urn] = node;
        }

        return node;
    }

    private static long Nanos(TimeSpan span) => span.Ticks * 100;

    [LoggerMessage(Level = LogLevel.Information, Message = "Asset graph loaded: {Nodes} nodes, {Edges} edges, {Changes} changes, covering the log up to position {Lsn}")]
    private static partial void LogLoaded(ILogger logger, int nodes, int edges, int changes, long lsn);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write the asset graph to its store; retrying every {Interval} (the write-ahead log keeps what is not written)")]
    private static partial void LogCommitFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The graph builder's saved state (waiting span pairs, watermarks) is unreadable; starting without it")]
    private static partial void LogStateUnreadable(ILogger logger);

    /// <summary>Counts of one batch, added to the meters once per batch.</summary>
    private struct Tally
    {
        public long Applied;
        public long Replayed;
        public long Paired;
        public long Expired;
        public long Evicted;
        public long Virtual;
        public long DroppedNodes;
        public long DroppedEdges;
        public long Deploys;
        public long Schemas;
        public long Lifecycles;
        public long Flushes;
        public long FlushFailures;

        public void Report()
        {
            Add(GraphMetrics.Signals, ref Applied, "outcome", "applied");
            Add(GraphMetrics.Signals, ref Replayed, "outcome", "replayed");
            Add(GraphMetrics.Pairs, ref Paired, "outcome", "paired");
            Add(GraphMetrics.Pairs, ref Expired, "outcome", "expired");
            Add(GraphMetrics.Pairs, ref Evicted, "outcome", "evicted");
            Add(GraphMetrics.Pairs, ref Virtual, "outcome", "virtual");
            Add(GraphMetrics.Dropped, ref DroppedNodes, "reason", "max_nodes");
            Add(GraphMetrics.Dropped, ref DroppedEdges, "reason", "max_edges");
            Add(GraphMetrics.Changes, ref Deploys, "kind", "deploy");
            Add(GraphMetrics.Changes, ref Schemas, "kind", "schema");
            Add(GraphMetrics.Changes, ref Lifecycles, "kind", "lifecycle");
            Add(GraphMetrics.Flushes, ref Flushes, "outcome", "ok");
            Add(GraphMetrics.Flushes, ref FlushFailures, "outcome", "failed");
        }

        private static void Add(System.Diagnostics.Metrics.Counter<long> counter, ref long value, string tag, string tagValue)
        {
            if (value != 0)
            {
                counter.Add(value, new KeyValuePair<string, object?>(tag, tagValue));
                value = 0;
            }
        }
    }
}
