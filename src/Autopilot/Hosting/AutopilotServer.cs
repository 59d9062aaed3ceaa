using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Autopilot.Host.Hosting;

/// <summary>The composition root of <c>autopilot serve</c>: builds the web host from <see cref="ServerOptions"/>.</summary>
public static class AutopilotServer
{
    /// <summary>Builds (does not start) the server. Tests and benchmarks call this without the CLI.</summary>
    public static WebApplication Build(ServerOptions options, string[]? args = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder(args ?? []);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // gRPC needs HTTP/2 with prior knowledge (h2c); OTLP/HTTP exporters send HTTP/1.1, so the
            // two protocols get separate listeners, as the OpenTelemetry Collector does.
            kestrel.Listen(options.BindAddress, options.GrpcPort, l => l.Protocols = HttpProtocols.Http2);
            kestrel.Listen(options.BindAddress, options.HttpPort, l => l.Protocols = HttpProtocols.Http1);
        });

        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        return app;
    }
}
