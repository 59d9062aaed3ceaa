using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Autopilot.Simulator.Telemetry;

/// <summary>
/// The HTTP handler under each simulated service's OTLP exporters (through <c>OtlpExporterOptions.HttpClientFactory</c>)
/// and under the lineage client. It adds the bearer token, stamps simulated time onto metric requests
/// (<see cref="OtlpMetricTimestamps"/>), and retries a request the server refuses as overloaded (429 / 503) after
/// its <c>Retry-After</c>, as the OpenTelemetry Collector's exporters do, until <c>retryFor</c> has passed. The SDK
/// exporter itself drops a refused batch, and a simulation that loses telemetry would measure the wrong thing.
/// </summary>
internal sealed class ExportHandler : DelegatingHandler
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private readonly ExportStats _stats;
    private readonly string? _token;
    private readonly TimeSpan _retryFor;
    private readonly CancellationToken _stopping;
    private readonly MetricStamp? _metricStamp;

    public ExportHandler(HttpMessageHandler inner, ExportStats stats, string? token, TimeSpan retryFor, CancellationToken stopping, MetricStamp? metricStamp = null)
        : base(inner)
    {
        _stats = stats;
        _token = token;
        _retryFor = retryFor;
        _stopping = stopping;
        _metricStamp = metricStamp;
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = ReadBody(request, cancellationToken);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var copy = Copy(request, body);
            var response = Attempt(() => base.Send(copy, cancellationToken), request);
            if (RetryDelay(response, attempt, started) is not { } delay)
            {
                return Finish(response, request);
            }

            response.Dispose();
            copy.Dispose();
            _stats.Retried();

            // The OTLP/HTTP exporter calls this synchronously on its own thread; the wait ends early when the simulation stops.
            if (_stopping.WaitHandle.WaitOne(delay))
            {
                _stats.Failed($"stopped while retrying {request.RequestUri}");
                throw new OperationCanceledException(_stopping);
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Stamp(request, body);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var copy = Copy(request, body);
            HttpResponseMessage response;
            try
            {
                response = await base.SendAsync(copy, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                _stats.Failed($"{request.RequestUri}: {e.Message}");
                throw;
            }

            if (RetryDelay(response, attempt, started) is not { } delay)
            {
                return Finish(response, request);
            }

            response.Dispose();
            copy.Dispose();
            _stats.Retried();
            try
            {
                await Task.Delay(delay, _stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _stats.Failed($"stopped while retrying {request.RequestUri}");
                throw;
            }
        }
    }

    private HttpResponseMessage Attempt(Func<HttpResponseMessage> send, HttpRequestMessage request)
    {
        try
        {
            return send();
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            _stats.Failed($"{request.RequestUri}: {e.Message}");
            throw;
        }
    }

    private HttpResponseMessage Finish(HttpResponseMessage response, HttpRequestMessage request)
    {
        if (response.IsSuccessStatusCode)
        {
            _stats.Succeeded();
        }
        else
        {
            _stats.Failed($"{request.RequestUri} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return response;
    }

    /// <summary>How long to wait before sending again, or null to give the answer back as it is.</summary>
    private TimeSpan? RetryDelay(HttpResponseMessage response, int attempt, long started)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || _stopping.IsCancellationRequested)
        {
            return null;
        }

        var delay = response.Headers.RetryAfter?.Delta
            ?? TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, attempt)));
        return Stopwatch.GetElapsedTime(started) + delay <= _retryFor ? delay : null;
    }

    private byte[] ReadBody(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return [];
        }

        using var stream = request.Content.ReadAsStream(cancellationToken);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var body = copy.ToArray();
        Stamp(request, body);
        return body;
    }

    private void Stamp(HttpRequestMessage request, byte[] body)
    {
        if (_metricStamp is not null && body.Length > 0 && request.RequestUri?.AbsolutePath.EndsWith("/v1/metrics", StringComparison.Ordinal) == true)
        {
            var (start, time) = _metricStamp.Times();
            _metricStamp.Sent(OtlpMetricTimestamps.Rewrite(body, start, time));
        }
    }

    private HttpRequestMessage Copy(HttpRequestMessage request, byte[] body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (_token is not null)
        {
            copy.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        }

        if (request.Content is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
