using Autopilot.Engines.Events;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Rca;
using Autopilot.Rca.Graph;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Host.Hosting;

/// <summary>
/// Everything behind the listeners: the ingest service (log, pipeline, inventory), the engine host and its
/// store, the asset graph builder and its store (both fed by one broadcast downstream of ingest), and the event
/// sink. <c>serve</c> puts the web host in front of it; <c>replay</c> feeds files in.
/// </summary>
public sealed partial class AutopilotRuntime : IAsyncDisposable
{
    private readonly ServerOptions _options;
    private int _disposed;

    private AutopilotRuntime(ServerOptions options, Redactor redactor, IngestService ingest, EngineHost engines, GraphBuilder graphBuilder, IGraphStore graphStore, IEventSink events, EventBroadcaster live, RcaAnalyzer rca)
    {
        _options = options;
        Redactor = redactor;
        Ingest = ingest;
        Engines = engines;
        GraphBuilder = graphBuilder;
        GraphStore = graphStore;
        Events = events;
        Rca = rca;
        LiveEvents = live;
    }

    public IngestService Ingest { get; }

    /// <summary>
    /// The configured redaction rules. Ingest applies them to every signal before the write-ahead log;
    /// anything else that sends telemetry out of the process (an LLM prompt) runs its text through them.
    /// </summary>
    public Redactor Redactor { get; }

    public EngineHost Engines { get; }

    public IEngineStore Store => Engines.Store;

    /// <summary>The asset graph with history, built from the signals; read it from any thread (RCA, dashboard, API).</summary>
    public AssetGraph Graph => GraphBuilder.Graph;

    /// <summary>What builds <see cref="Graph"/> (downstream of ingest, beside the engines).</summary>
    public GraphBuilder GraphBuilder { get; }

    public IGraphStore GraphStore { get; }

    /// <summary>Where the correlator publishes: the live stream, plus the events file or webhook when configured.</summary>
    public IEventSink Events { get; }

    /// <summary>Findings and incident changes for in-process subscribers (<c>GET /api/events</c>, the dashboard).</summary>
    public EventBroadcaster LiveEvents { get; }

    /// <summary>Root-cause analysis over the store and the graph (the explain API and <c>autopilot rca</c>).</summary>
    public RcaAnalyzer Rca { get; }

    /// <summary>Opens the data directory (replaying the write-ahead log) and starts the pipeline; options must be valid.</summary>
    public static async Task<AutopilotRuntime> StartAsync(ServerOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggers ??= NullLoggerFactory.Instance;
        IEngineStore store = options.EngineStoreConnectionString is { } connectionString
            ? new PostgresEngineStore(connectionString)
            : new SqliteEngineStore(Path.Combine(options.DataDirectory, "engines.db"));
        // The live stream always; the events file and the webhook each when configured (both may be).
        var live = new EventBroadcaster(options.LiveEvents);
        List<IEventSink> sinks = [live];
        if (options.EventsFile is not null)
        {
            var log = loggers.CreateLogger("Autopilot.Events");
            sinks.Add(new FileEventSink(options.EventsFile, options.Events.FileMaxMegabytes * 1024L * 1024L, options.Events.FileMaxBackups,
                e => LogEventsFileFailing(log, e, options.EventsFile, e.Message)));
        }

        if (options.EventsWebhook is not null)
        {
            sinks.Add(new WebhookEventSink(options.EventsWebhook));
        }

        IEventSink events = sinks.Count == 1 ? live : new FanOutEventSink([.. sinks]);
        IGraphStore? graphStore = null;
        RcaAnalyzer? rca = null;
        try
        {
            var redactor = Redactor.Create(options.Redaction);
            graphStore = options.EngineStoreConnectionString is { } graphConnection
                ? new PostgresGraphStore(graphConnection)
                : new SqliteGraphStore(Path.Combine(options.DataDirectory, "graph.db"));
            var graph = GraphBuilder.Open(options.Graph, graphStore, loggers);

            // The RCA ranker also ranks the correlator's suspected roots, so the analyzer comes before the engines;
            // incidents group findings by graph adjacency; both the engines and the graph see every accepted request.
            rca = new RcaAnalyzer(store, graph.Graph, options.Rca, loggers: loggers);
            var engines = new EngineHost(options.Engines, store, EngineCatalog.CreateDefault, events, graph.Relations, ranker: rca.SuspectRanker);
            // Without engines (serve --no-engines) ingest runs alone, to measure it: no downstream at all.
            var downstream = options.RunEngines ? new BroadcastDownstream(engines, graph) : null;
            var ingest = await IngestService.StartAsync(options.Ingest, new SignalDecoder(options.Ingest, redactor), loggers, downstream: downstream, cancellationToken: cancellationToken);
            return new AutopilotRuntime(options, redactor, ingest, engines, graph, graphStore, events, live, rca);
        }
        catch
        {
            rca?.Dispose();
            store.Dispose();
            graphStore?.Dispose();
            await events.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drains the pipeline (engines included) within the shutdown timeout, checkpoints and closes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await Ingest.StopAsync(_options.ShutdownTimeout);
        Rca.Dispose();
        Store.Dispose();
        GraphStore.Dispose();
        await Events.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot write the events file {Path}: {Reason}; its events are dropped (autopilot.events.dropped) until it can be written again")]
    private static partial void LogEventsFileFailing(ILogger logger, Exception exception, string path, string reason);
}
