using System.Runtime.InteropServices;
using System.Text.Json;
using Autopilot.Engines.Api;
using Autopilot.Engines.Hosting;
using Autopilot.Host.Dashboard;
using Autopilot.Host.Security;
using Autopilot.Host.Telemetry;
using Autopilot.Ingest.Receivers;
using Autopilot.Rca.Api;
using Autopilot.Rca.Grpc;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging.Console;

namespace Autopilot.Host.Hosting;

/// <summary>
/// The composition root of <c>autopilot serve</c>: the ingest service (log, pipeline, inventory) and the
/// web host with both listeners. Tests and benchmarks build it from <see cref="ServerOptions"/> without the CLI.
/// </summary>
public sealed partial class AutopilotServer : IAsyncDisposable
{
    private readonly PrometheusExporter _exporter;
    private readonly SelfTelemetry _telemetry;
    private readonly ServerCertificate?[] _certificates;
    private readonly PosixSignalRegistration? _reloadOnHangup;
    private int _disposed;

    private AutopilotServer(WebApplication app, AutopilotRuntime runtime, PrometheusExporter exporter, SelfTelemetry telemetry, ServerCertificate?[] certificates, PosixSignalRegistration? reloadOnHangup)
    {
        App = app;
        Runtime = runtime;
        _exporter = exporter;
        _telemetry = telemetry;
        _certificates = certificates;
        _reloadOnHangup = reloadOnHangup;
    }

    public WebApplication App { get; }

    public AutopilotRuntime Runtime { get; }

    public IngestService Ingest => Runtime.Ingest;

    public EngineHost Engines => Runtime.Engines;

    /// <summary>Validates the options, opens the data directory (replaying the write-ahead log) and builds the host; does not listen yet.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message has one line per problem.</exception>
    public static Task<AutopilotServer> CreateAsync(ServerOptions options, string[]? args = null, CancellationToken cancellationToken = default) =>
        CreateAsync(options, args, configureHost: null, cancellationToken);

    /// <summary>Validates the options, opens the data directory (replaying the write-ahead log) and builds the host; does not listen yet.</summary>
    /// <param name="options">The server's options; validated here.</param>
    /// <param name="args">Host configuration arguments (e.g. <c>--Logging:LogLevel:Default=Warning</c>).</param>
    /// <param name="configureHost">Last changes to the host's builder, e.g. <c>autopilot demo</c> replacing the console lifetime to handle Ctrl+C itself.</param>
    /// <param name="cancellationToken">Cancels opening the data directory.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message has one line per problem.</exception>
    public static async Task<AutopilotServer> CreateAsync(ServerOptions options, string[]? args, Action<WebApplicationBuilder>? configureHost, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tokens = options.Auth.Resolve().Concat(options.Ingest.BearerTokens.Select(t => (t, AccessRole.Admin))).ToList();
        var grpcCertificate = options.Tls.LoadGrpc();
        var httpCertificate = options.Tls.LoadHttp();
        ServerCertificate?[] certificates = [grpcCertificate, httpCertificate];

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        ConfigureLogging(builder.Logging, options.Logging);
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = (long)options.Ingest.MaxRequestBytes + 1;

            // gRPC needs HTTP/2; in cleartext that means prior knowledge (h2c), over TLS ALPN negotiates it. OTLP/HTTP
            // exporters send HTTP/1.1, so the two protocols get separate listeners, as the OpenTelemetry Collector does.
            kestrel.Listen(options.BindAddress, options.GrpcPort, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                UseTls(l, grpcCertificate);
            });
            kestrel.Listen(options.BindAddress, options.HttpPort, l =>
            {
                l.Protocols = HttpProtocols.Http1;
                UseTls(l, httpCertificate);
            });
        });

        configureHost?.Invoke(builder);
        var telemetry = SelfTelemetry.Start(options.Telemetry);
        WebApplication? app = null;
        try
        {
            app = builder.Build();
            var exporter = new PrometheusExporter();
            var loggers = app.Services.GetRequiredService<ILoggerFactory>();
            var runtime = await AutopilotRuntime.StartAsync(options, loggers, cancellationToken);

            var auth = new BearerTokenAuth(tokens, loggers.CreateLogger<BearerTokenAuth>());
            app.Use(auth.InvokeAsync);
            app.MapGet("/healthz", () => Results.Text("ok\n"));
            app.MapGet("/metrics", () => Results.Text(exporter.Scrape(), PrometheusExporter.ContentType));
            app.MapIngest(runtime.Ingest, options.Ingest);
            app.MapEngines(runtime.Store, runtime.Engines.SloStatus);
            app.MapRca(runtime.Rca);
            app.MapRcaGrpc(runtime.Rca, runtime.Store, runtime.LiveEvents, app.Lifetime.ApplicationStopping);
            app.MapGraph(runtime.Graph);
            app.MapEventStream(runtime.LiveEvents, app.Lifetime.ApplicationStopping);
            var contracts = options.Engines.Contract.Catalog;
            var contractLogger = loggers.CreateLogger(typeof(ContractEndpoints).FullName!);
            ContractEndpoints.LogLoaded(contracts, contractLogger);
            Func<ConfigChange>? configCheck = options.Source is { } source ? source.Check : null;
            app.MapContractReload(contracts, contractLogger, configCheck);
            app.MapDashboard(DashboardAssets.Load());
            app.MapFallback(UnknownRoute);
            var logger = loggers.CreateLogger<AutopilotServer>();
            var grpcTls = grpcCertificate is null ? "off" : "on";
            var httpTls = httpCertificate is null ? "off" : "on";
            var redaction = runtime.Redactor.Enabled ? "on" : "off";
            var selfTelemetry = options.Telemetry.Otlp.Endpoint is { } endpoint ? $"to {endpoint}" : "off";
            var started = app;
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                // Logged once both listeners are bound, with the ports they got (a configured 0 picks a free one).
                var (grpcPort, httpPort) = BoundPorts(started, options);
                LogListening(logger, options.BindAddress, grpcPort, grpcTls, httpPort, httpTls, tokens.Count, redaction, selfTelemetry);
            });

            // SIGHUP reloads the data contracts and threshold rules, as it makes Prometheus reload its rule files (POST /-/reload does the same).
            var reloadOnHangup = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                ContractEndpoints.Reload(contracts, configCheck, contractLogger);
            });
            return new AutopilotServer(app, runtime, exporter, telemetry, certificates, reloadOnHangup);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            telemetry.Dispose();
            grpcCertificate?.Dispose();
            httpCertificate?.Dispose();
            throw;
        }
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

        _reloadOnHangup?.Dispose();
        await App.DisposeAsync();
        await Runtime.DisposeAsync();
        _exporter.Dispose();
        _telemetry.Dispose();
        foreach (var certificate in _certificates)
        {
            certificate?.Dispose();
        }
    }

    /// <summary>
    /// JSON lines (scopes included: the request id, and the trace and span id of every request-scoped line) or
    /// single text lines, at the configured level; ASP.NET Core's own chatter stays at warnings.
    /// </summary>
    internal static void ConfigureLogging(ILoggingBuilder logging, LoggingOptions options)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(options.Level);
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);
        if (options.EffectiveFormat == LogFormat.Json)
        {
            logging.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
                o.JsonWriterOptions = new JsonWriterOptions { Indented = false };
            });
        }
        else
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.IncludeScopes = false;
                o.TimestampFormat = "HH:mm:ss ";
            });
        }

        // The console provider, wrapped so the host's copy of a port-binding failure (serve reports it in one line) is left out.
        var console = logging.Services.Single(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        logging.Services.Remove(console);
        logging.Services.AddSingleton<ILoggerProvider>(sp => new ReportedStartupFailureFilter(ActivatorUtilities.CreateInstance<ConsoleLoggerProvider>(sp)));
    }

    private static void UseTls(ListenOptions listen, ServerCertificate? certificate)
    {
        if (certificate is null)
        {
            return;
        }

        listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = certificate.Certificate,
            ServerCertificateChain = certificate.Chain,
        });
    }

    /// <summary>
    /// The ports the gRPC and HTTP listeners are bound to: Kestrel lists its endpoints' addresses in the order they were
    /// configured (gRPC first), with the port it picked for a configured 0.
    /// </summary>
    private static (int Grpc, int Http) BoundPorts(WebApplication app, ServerOptions options)
    {
        var addresses = app.Urls.ToList();
        return addresses.Count == 2 && Uri.TryCreate(addresses[0], UriKind.Absolute, out var grpc) && Uri.TryCreate(addresses[1], UriKind.Absolute, out var http)
            ? (grpc.Port, http.Port)
            : (options.GrpcPort, options.HttpPort);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Autopilot listening on {Address}: gRPC port {GrpcPort} (TLS {GrpcTls}), HTTP port {HttpPort} (TLS {HttpTls}); {Tokens} auth tokens, redaction {Redaction}, self-telemetry {SelfTelemetry}")]
    private static partial void LogListening(ILogger logger, System.Net.IPAddress address, int grpcPort, string grpcTls, int httpPort, string httpTls, int tokens, string redaction, string selfTelemetry);

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
