using Autopilot.Engines.Events;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Host.Hosting;

/// <summary>
/// Everything behind the listeners: the ingest service (log, pipeline, inventory), the engine host and its
/// store, and the event sink. <c>serve</c> puts the web host in front of it; <c>replay</c> feeds files in.
/// </summary>
public sealed class AutopilotRuntime : IAsyncDisposable
{
    private readonly ServerOptions _options;
    private int _disposed;

    private AutopilotRuntime(ServerOptions options, IngestService ingest, EngineHost engines, IEventSink? events)
    {
        _options = options;
        Ingest = ingest;
        Engines = engines;
        Events = events;
    }

    public IngestService Ingest { get; }

    public EngineHost Engines { get; }

    public IEngineStore Store => Engines.Store;

    public IEventSink? Events { get; }

    /// <summary>Opens the data directory (replaying the write-ahead log) and starts the pipeline; options must be valid.</summary>
    public static async Task<AutopilotRuntime> StartAsync(ServerOptions options, ILoggerFactory? loggers = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        IEngineStore store = options.EngineStoreConnectionString is { } connectionString
            ? new PostgresEngineStore(connectionString)
            : new SqliteEngineStore(Path.Combine(options.DataDirectory, "engines.db"));
        IEventSink? events = options.EventsFile is not null ? new FileEventSink(options.EventsFile)
            : options.EventsWebhook is not null ? new WebhookEventSink(options.EventsWebhook) : null;
        try
        {
            var engines = new EngineHost(options.Engines, store, EngineCatalog.CreateDefault, events);
            var ingest = await IngestService.StartAsync(options.Ingest, new SignalDecoder(options.Ingest), loggers ?? NullLoggerFactory.Instance, downstream: options.RunEngines ? engines : null, cancellationToken: cancellationToken);
            return new AutopilotRuntime(options, ingest, engines, events);
        }
        catch
        {
            store.Dispose();
            if (events is not null)
            {
                await events.DisposeAsync();
            }

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
        Store.Dispose();
        if (Events is not null)
        {
            await Events.DisposeAsync();
        }
    }
}
