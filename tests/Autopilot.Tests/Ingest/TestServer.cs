using System.Text.Json;
using Autopilot.Host.Hosting;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>A real <see cref="AutopilotServer"/> on loopback Kestrel with its own data directory.</summary>
internal sealed class TestServer : IAsyncDisposable
{
    private readonly TempDirectory? _ownedDirectory;

    private TestServer(AutopilotServer server, int grpcPort, int httpPort, TempDirectory? ownedDirectory, string dataDirectory)
    {
        Server = server;
        GrpcPort = grpcPort;
        HttpPort = httpPort;
        _ownedDirectory = ownedDirectory;
        DataDirectory = dataDirectory;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public AutopilotServer Server { get; }

    public int GrpcPort { get; }

    public int HttpPort { get; }

    public string DataDirectory { get; }

    public HttpClient Http { get; }

    public Uri GrpcEndpoint => new($"http://127.0.0.1:{GrpcPort}");

    public Uri HttpEndpoint => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>Starts a server on free ports; <c>map</c> adds endpoints before it listens (auth tests use it).</summary>
    public static async Task<TestServer> StartAsync(Action<ServerOptions>? configure = null, string? dataDirectory = null, Action<Microsoft.AspNetCore.Builder.WebApplication>? map = null)
    {
        var owned = dataDirectory is null ? new TempDirectory() : null;
        var options = new ServerOptions
        {
            GrpcPort = ServeProcessTests.FreePort(),
            HttpPort = ServeProcessTests.FreePort(),
            DataDirectory = dataDirectory ?? owned!.Path,
        };
        configure?.Invoke(options);
        var server = await AutopilotServer.CreateAsync(options);
        map?.Invoke(server.App);
        await server.App.StartAsync();
        return new TestServer(server, options.GrpcPort, options.HttpPort, owned, options.DataDirectory);
    }

    /// <summary>Polls the asset API until the asset has <paramref name="count"/> signals of <paramref name="field"/>, and returns it.</summary>
    public async Task<JsonElement> WaitForAssetAsync(string urn, string field, long count, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync(new Uri("/api/assets/" + urn, UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                last = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (last.GetProperty(field).GetInt64() >= count)
                {
                    return last;
                }
            }

            await Task.Delay(50);
        }

        Assert.Fail($"asset {urn} did not reach {field} = {count} within {timeoutSeconds} s; last seen: {last}");
        return last;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        _ownedDirectory?.Dispose();
    }
}
