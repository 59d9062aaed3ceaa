using Autopilot.Engines.Api;
using Autopilot.Engines.Hosting;
using Autopilot.Host.Dashboard;
using Autopilot.Host.Telemetry;
using Autopilot.Ingest.Receivers;
using Autopilot.Rca.Api;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Autopilot.Host.Hosting;

/// <summary>
/// The composition root of <c>autopilot serve</c>: the ingest service (log, pipeline, inventory) and the
/// web host with both listeners. Tests and benchmarks build it from <see cref="ServerOptions"/> without the CLI.
/// </summary>
public sealed class AutopilotServer : IAsyncDisposable
{
    private readonly PrometheusExporter _exporter;
    private int _disposed;

    private AutopilotServer(WebApplication app, AutopilotRuntime runtime, PrometheusExporter exporter)
    {
        App = app;
        Runtime = runtime;
        _exporter = exporter;
    }

    public WebApplication App { get; }

    public AutopilotRuntime Runtime { get; }

    public IngestService Ingest => Runtime.Ingest;

    public EngineHost Engines => Runtime.Engines;

    /// <summary>Validates the options, opens the data directory (replaying the write-ahead log) and builds the host; does not listen yet.</summary>
    public static Task<AutopilotServer> CreateAsync(ServerOptions options, string[]? args = null, CancellationToken cancellationToken = default) =>
        CreateAsync(options, args, configureHost: null, cancellationToken);

    /// <summary>Validates the options, opens the data directory (replaying the write-ahead log) and builds the host; does not listen yet.</summary>
    /// <param name="options">The server's options; validated here.</param>
    /// <param name="args">Host configuration arguments (e.g. <c>--Logging:LogLevel:Default=Warning</c>).</param>
    /// <param name="configureHost">Last changes to the host's builder, e.g. <c>autopilot demo</c> replacing the console lifetime to handle Ctrl+C itself.</param>
    /// <param name="cancellationToken">Cancels opening the data directory.</param>
    public static async Task<AutopilotServer> CreateAsync(ServerOptions options, string[]? args, Action<WebApplicationBuilder>? configureHost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = (long)options.Ingest.MaxRequestBytes + 1;

            // gRPC needs HTTP/2 with prior knowledge (h2c); OTLP/HTTP exporters send HTTP/1.1, so the
            // two protocols get separate listeners, as the OpenTelemetry Collector does.
            kestrel.Listen(options.BindAddress, options.GrpcPort, l => l.Protocols = HttpProtocols.Http2);
            kestrel.Listen(options.BindAddress, options.HttpPort, l => l.Protocols = HttpProtocols.Http1);
        });

        configureHost?.Invoke(builder);
        var app = builder.Build();
        var exporter = new PrometheusExporter();
        var runtime = await AutopilotRuntime.StartAsync(options, app.Services.GetRequiredService<ILoggerFactory>(), cancellationToken);

        var auth = new BearerTokenAuth(options.Ingest.BearerTokens);
        app.Use(auth.InvokeAsync);
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/metrics", () => Results.Text(exporter.Scrape(), PrometheusExporter.ContentType));
        app.MapIngest(runtime.Ingest, options.Ingest);
        app.MapEngines(runtime.Store, runtime.Engines.SloStatus);
        app.MapRca(runtime.Rca);
        app.MapGraph(runtime.Graph);
        app.MapEventStream(runtime.LiveEvents, app.Lifetime.ApplicationStopping);
        app.MapDashboard(DashboardAssets.Load());
        app.MapFallback(UnknownRoute);
        return new AutopilotServer(app, runtime, exporter);
    }

    /// <summary>Listens until <paramref name="cancellationToken"/> fires or the host is told to stop (SIGTERM), then drains.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await App.RunAsync(cancellationToken);
        }
        finally
        {
            await DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await App.DisposeAsync();
        await Runtime.DisposeAsync();
        _exporter.Dispose();
    }

    /// <summary>PostgreSQL when a connection string is configured, otherwise SQLite in the data directory.</summary>
    private static async Task UnknownRoute(HttpContext ctx)
    {
        if (Autopilot.Ingest.Grpc.GrpcWire.IsGrpcRequest(ctx.Request))
        {
            Autopilot.Ingest.Grpc.GrpcWire.WriteError(ctx.Response, new Autopilot.Ingest.Grpc.RpcStatus(Autopilot.Ingest.Grpc.GrpcStatusCode.Unimplemented, $"unknown gRPC method {ctx.Request.Path}"));
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
        await ctx.Response.WriteAsync($"no endpoint {ctx.Request.Method} {ctx.Request.Path}; see the README for the endpoint list\n");
    }
}
