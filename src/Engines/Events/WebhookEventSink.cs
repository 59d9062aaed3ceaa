using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;

namespace Autopilot.Engines.Events;

/// <summary>
/// POSTs events in batches (<c>application/cloudevents-batch+json</c>) to a URL from a background task,
/// through a bounded buffer: when the endpoint is down or answers 408, 429 or 5xx, the post is retried with backoff
/// (200 ms doubling to 30 s, or the endpoint's Retry-After) and, once the buffer is full, the oldest events are dropped
/// and counted, so the engines never wait on it. A batch the endpoint refuses with another 4xx is dropped and counted
/// rather than retried forever in front of every later event.
/// </summary>
public sealed class WebhookEventSink : IEventSink
{
    private readonly Channel<CloudEvent> _buffer;
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly Task _sender;
    private readonly CancellationTokenSource _stop = new();
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private long _dropped;
    private long _delivered;
    private long _refused;

    public WebhookEventSink(Uri url, int capacity = 10_000, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _url = url;
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(10);
        _buffer = Channel.CreateBounded<CloudEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }, _ =>
        {
            Interlocked.Increment(ref _dropped);
            EventSinkMetrics.Dropped("webhook", 1);
        });
        _sender = Task.Run(SendLoopAsync);
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Batches the endpoint refused with a client error (4xx other than 408 and 429), dropped rather than retried.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public void Publish(IReadOnlyList<CloudEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events)
        {
            _buffer.Writer.TryWrite(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _buffer.Writer.TryComplete();
        try
        {
            // Give what is buffered a moment to go out, then stop retrying.
            await _sender.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            await _stop.CancelAsync();
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task SendLoopAsync()
    {
        var batch = new List<CloudEvent>();
        while (await _buffer.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < 500 && _buffer.Reader.TryRead(out var e))
            {
                batch.Add(e);
            }

            var delay = TimeSpan.FromMilliseconds(200);
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    using var content = new ByteArrayContent(Serialize(batch));
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents-batch+json");
                    using var response = await _http.PostAsync(_url, content, _stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Add(ref _delivered, batch.Count);
                        break;
                    }

                    if (IsPermanent(response.StatusCode))
                    {
                        // The endpoint refuses this batch (bad request, unauthorized, not found, too large): sending it
                        // again would be refused again and hold up every event behind it, so it is dropped and counted,
                        // as the OpenTelemetry Collector's exporters drop on a permanent error.
                        Interlocked.Add(ref _dropped, batch.Count);
                        Interlocked.Increment(ref _refused);
                        EventSinkMetrics.Dropped("webhook", batch.Count);
                        break;
                    }

                    // 408, 429, 5xx: retried; a Retry-After the endpoint sends is waited out (up to the backoff's cap).
                    if (response.Headers.RetryAfter?.Delta is { } after && after > delay)
                    {
                        delay = after < MaxBackoff ? after : MaxBackoff;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        break;
                    }
                }

                try
                {
                    await Task.Delay(delay, _stop.Token);
                }
                catch (TaskCanceledException)
                {
                    break;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
            }

            batch.Clear();
        }
    }

    /// <summary>A client error other than 408 (timeout) and 429 (too many requests): the same batch would be refused again.</summary>
    private static bool IsPermanent(System.Net.HttpStatusCode status) => (int)status is >= 400 and < 500 and not 408 and not 429;

    private static byte[] Serialize(List<CloudEvent> batch)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var e in batch)
            {
                CloudEventJson.Write(json, e);
            }

            json.WriteEndArray();
        }

        return buffer.ToArray();
    }
}
