using System.Net;
using System.Net.Sockets;

namespace Autopilot.Host.Hosting;

/// <summary>
/// An <c>autopilot serve</c> inside this process on free loopback ports with its own data directory: what
/// <c>bench rca</c> runs each scenario against (and the simulator tests too).
/// </summary>
internal sealed class InProcessServer : IAsyncDisposable
{
    private int _drained;

    private InProcessServer(AutopilotServer server, ServerOptions options)
    {
        Server = server;
        Options = options;
        HttpEndpoint = new Uri($"http://127.0.0.1:{options.HttpPort}");
        Api = new HttpClient { BaseAddress = HttpEndpoint, Timeout = TimeSpan.FromSeconds(60) };
    }

    public AutopilotServer Server { get; }

    public ServerOptions Options { get; }

    /// <summary>Base URL of the HTTP listener (OTLP/HTTP, OpenLineage, API).</summary>
    public Uri HttpEndpoint { get; }

    /// <summary>A client for the server's API, with <see cref="HttpEndpoint"/> as its base address.</summary>
    public HttpClient Api { get; }

    /// <summary>
    /// Starts a server on two free ports over <paramref name="dataDirectory"/>; <paramref name="configure"/> may
    /// change any other option. Ports are picked by binding port 0 and releasing it, so another process can take one
    /// in between: a failed bind is retried with new ports.
    /// </summary>
    public static async Task<InProcessServer> StartAsync(string dataDirectory, Action<ServerOptions>? configure = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var options = new ServerOptions { GrpcPort = FreePort(), HttpPort = FreePort(), DataDirectory = dataDirectory };
            configure?.Invoke(options);
            // The server's own informational logs would drown the caller's output.
            var server = await AutopilotServer.CreateAsync(options, ["--Logging:LogLevel:Default=Warning"], cancellationToken).ConfigureAwait(false);
            try
            {
                await server.App.StartAsync(cancellationToken).ConfigureAwait(false);
                return new InProcessServer(server, options);
            }
            catch (IOException) when (attempt < 3)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>
    /// Stops ingest and drains the pipeline: every accepted request is processed and, with
    /// <c>Engines.FlushOnComplete</c>, the watermark moves past the last event so the last windows close (as
    /// <c>autopilot replay</c> does). Findings and incidents stay readable through <see cref="Api"/>; ingest and the
    /// asset inventory do not.
    /// </summary>
    public async Task DrainAsync()
    {
        if (Interlocked.Exchange(ref _drained, 1) == 0)
        {
            await Server.Runtime.Ingest.StopAsync(Options.ShutdownTimeout).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
