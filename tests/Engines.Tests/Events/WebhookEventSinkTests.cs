using System.Net;
using Autopilot.Engines.Events;

namespace Autopilot.Engines.Tests.Events;

/// <summary>The webhook sink against a real HTTP endpoint on 127.0.0.1 that answers as it is told to.</summary>
public sealed class WebhookEventSinkTests : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Queue<(int Status, string? RetryAfter)> _answers = new();
    private readonly List<string> _bodies = [];
    private readonly Task _serving;
    private readonly Uri _url;

    public WebhookEventSinkTests()
    {
        var port = TestSupport.Ports.Free();
        _url = new Uri($"http://127.0.0.1:{port}/hook/");
        _listener.Prefixes.Add(_url.ToString());
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await Assert.ThrowsAnyAsync<Exception>(() => _serving);
        _listener.Close();
    }

    [Fact]
    public async Task ClientError_DropsThatBatch_AndTheNextOneGoesThrough()
    {
        // A 400 for the first batch: sending it again would be refused again, so it is dropped and counted instead of
        // holding up everything behind it.
        Answer(400);
        await using var sink = new WebhookEventSink(_url);
        sink.Publish([Event("a")]);
        await WaitUntil(() => sink.Refused == 1, "the refused batch to be dropped");
        sink.Publish([Event("b")]);
        await WaitUntil(() => sink.Delivered == 1, "the next batch to be delivered");

        Assert.Equal(1, sink.Dropped);
        Assert.Equal(2, Bodies().Count);
        Assert.Contains("\"id\":\"a\"", Bodies()[0], StringComparison.Ordinal);
        Assert.Contains("\"id\":\"b\"", Bodies()[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    public async Task TransientError_IsRetried_UntilDelivered(int status)
    {
        Answer(status, retryAfter: "1");
        Answer(status);
        await using var sink = new WebhookEventSink(_url);
        sink.Publish([Event("a"), Event("b")]);
        await WaitUntil(() => sink.Delivered == 2, "the batch to be delivered after two refusals");

        Assert.Equal(0, sink.Dropped);
        Assert.Equal(0, sink.Refused);
        Assert.Equal(3, Bodies().Count);
        Assert.All(Bodies(), b => Assert.Equal(Bodies()[0], b)); // the same batch each time
    }

    private static CloudEvent Event(string id) =>
        new(id, "urn:autopilot:service:default:checkout", "autopilot.finding.dq.error_rate", DateTimeOffset.UnixEpoch, new { summary = "failing" });

    private void Answer(int status, string? retryAfter = null)
    {
        lock (_answers)
        {
            _answers.Enqueue((status, retryAfter));
        }
    }

    private List<string> Bodies()
    {
        lock (_bodies)
        {
            return [.. _bodies];
        }
    }

    private async Task ServeAsync()
    {
        while (true)
        {
            var context = await _listener.GetContextAsync();
            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                lock (_bodies)
                {
                    _bodies.Add(body);
                }
            }

            (int Status, string? RetryAfter) answer;
            lock (_answers)
            {
                answer = _answers.Count > 0 ? _answers.Dequeue() : (202, null);
            }

            context.Response.StatusCode = answer.Status;
            if (answer.RetryAfter is { } after)
            {
                context.Response.AddHeader("Retry-After", after);
            }

            context.Response.Close();
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(20);
        }
    }
}
