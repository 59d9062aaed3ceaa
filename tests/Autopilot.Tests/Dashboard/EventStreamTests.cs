using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Host.Tests.Engines;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary><c>GET /api/events</c> over real HTTP: what a browser's EventSource (or <c>curl -N</c>) reads.</summary>
public sealed class EventStreamTests
{
    /// <summary>Reads server-sent events (name, id, data) and comment lines off a response stream.</summary>
    private sealed class SseReader(Stream stream) : IDisposable
    {
        private readonly StreamReader _reader = new(stream, Encoding.UTF8);

        public List<string> Comments { get; } = [];

        public async Task<(string Event, string Id, string Data)> NextAsync(CancellationToken cancellationToken)
        {
            string name = "message", id = string.Empty;
            var data = new StringBuilder();
            while (true)
            {
                var line = await _reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException("the event stream ended");
                if (line.Length == 0)
                {
                    if (data.Length > 0)
                    {
                        return (name, id, data.ToString());
                    }

                    continue;
                }

                if (line.StartsWith(':'))
                {
                    Comments.Add(line);
                }
                else if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal))
                {
                    id = line[4..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data.Append(line[6..]);
                }
            }
        }

        public void Dispose() => _reader.Dispose();
    }

    [Fact]
    public async Task Events_FailingSpans_StreamTheFindingAndTheIncidentAsTheyHappen()
    {
        await using var server = await TestServer.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await server.Http.GetAsync(new Uri("/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        using var sse = new SseReader(await response.Content.ReadAsStreamAsync(timeout.Token));

        using (var content = new StringContent(EngineFixtures.FailingCheckout(), Encoding.UTF8, "application/json"))
        using (var posted = await server.Http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content, timeout.Token))
        {
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }

        var seen = new List<(string Event, string Id, JsonElement Data)>();
        while (!seen.Any(e => e.Event == "incident.opened") || !seen.Any(e => e.Event == "finding"))
        {
            var (name, id, data) = await sse.NextAsync(timeout.Token);
            seen.Add((name, id, JsonDocument.Parse(data).RootElement.Clone()));
        }

        var finding = seen.First(e => e.Event == "finding").Data;
        Assert.Equal("autopilot.finding.dq.error_rate", finding.GetProperty("type").GetString());
        Assert.Equal("urn:autopilot:service:prod:checkout", finding.GetProperty("source").GetString());
        Assert.Equal("critical", finding.GetProperty("data").GetProperty("severity").GetString());

        var opened = seen.First(e => e.Event == "incident.opened");
        Assert.Equal(opened.Id, opened.Data.GetProperty("id").GetString());
        var incidentId = opened.Data.GetProperty("data").GetProperty("id").GetString()!;

        // The event carries the incident as the API serves it.
        using var api = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri("/api/incidents/" + incidentId, UriKind.Relative), timeout.Token));
        Assert.Equal(api.RootElement.GetProperty("affectedUrns").GetRawText(), opened.Data.GetProperty("data").GetProperty("affectedUrns").GetRawText());
        Assert.Equal("open", opened.Data.GetProperty("data").GetProperty("status").GetString());
        Assert.Contains(sse.Comments, c => c == ": connected");
    }

    [Fact]
    public async Task Events_Idle_SendHeartbeats()
    {
        await using var server = await TestServer.StartAsync(o => o.LiveEvents.Heartbeat = TimeSpan.FromMilliseconds(200));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await server.Http.GetAsync(new Uri("/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var heartbeats = 0;
        while (heartbeats < 2)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line == ": heartbeat")
            {
                heartbeats++;
            }
        }
    }

    [Fact]
    public async Task Events_PastTheSubscriberLimit_Are503WithRetryAfter()
    {
        await using var server = await TestServer.StartAsync(o => o.LiveEvents.MaxSubscribers = 1);
        using var first = await server.Http.GetAsync(new Uri("/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        using var second = await server.Http.GetAsync(new Uri("/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.NotNull(second.Headers.RetryAfter);
        Assert.Contains("too many live event subscribers", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_Stopping_EndsOpenStreams()
    {
        var server = await TestServer.StartAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await server.Http.GetAsync(new Uri("/api/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        Assert.Equal("retry: 3000", await reader.ReadLineAsync(timeout.Token));
        var stop = server.Server.App.StopAsync(timeout.Token);

        // The stream ends (end of body, or the connection closed under the read) well before the 10 s shutdown timeout.
        try
        {
            while (await reader.ReadLineAsync(timeout.Token) is not null)
            {
            }
        }
        catch (IOException)
        {
        }

        await stop;
        Assert.False(timeout.IsCancellationRequested);
        await server.DisposeAsync();
    }
}
