using System.Net;
using System.Net.Http.Headers;

namespace Autopilot.Host.Tests.Ingest;

/// <summary><c>serve --no-engines</c> (<see cref="Autopilot.Host.Hosting.ServerOptions.RunEngines"/> off): requests are logged and counted, the engines see nothing.</summary>
public sealed class IngestOnlyTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunEngines_Off_IngestsButFeedsNoEngine(bool runEngines)
    {
        await using var server = await TestServer.StartAsync(o => o.RunEngines = runEngines);
        const string json = """{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"ingest-only"}}]},"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";
        using var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await server.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await server.WaitForAssetAsync("urn:autopilot:service:default:ingest-only", "logs", 1);
        if (runEngines)
        {
            // The engines get every accepted request; with them on, this one arrives.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (server.Server.Engines.MaxLsnEntered < 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
        }

        Assert.Equal(runEngines, server.Server.Ingest.HasDownstream);
        Assert.Equal(runEngines, server.Server.Engines.MaxLsnEntered >= 0);
    }
}
