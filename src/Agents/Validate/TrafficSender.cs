using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace Autopilot.Agents.Validate;

/// <summary>Sends traffic.yaml's HTTP requests to the service, after polling its readiness URL.</summary>
internal sealed partial class TrafficSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly string _baseUrl;
    private readonly IReadOnlyDictionary<string, string> _environment;

    public TrafficSender(string baseUrl, IReadOnlyDictionary<string, string> environment)
    {
        _environment = environment;
        _baseUrl = Expand(baseUrl).TrimEnd('/');

        // No proxy: the service is on this machine, and a proxy from the environment would only get in the way.
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string BaseUrl => _baseUrl;

    /// <summary>
    /// Polls until the probe answers as expected. Returns null when ready; otherwise what was last seen.
    /// Stops early when <paramref name="exited"/> completes: a service that died will not become ready.
    /// </summary>
    public async Task<string?> WaitReadyAsync(ReadinessProbe probe, Task exited, CancellationToken cancellationToken)
    {
        var url = Resolve(probe.Url);
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (true)
        {
            if (exited.IsCompleted)
            {
                return $"the service exited before {url} answered ({last})";
            }

            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    using var response = await _client.GetAsync(url, attempt.Token).ConfigureAwait(false);
                    var code = (int)response.StatusCode;
                    if (StatusMatches(probe.ExpectedStatus, code))
                    {
                        return null;
                    }

                    last = $"last answer {code}";
                }
                catch (HttpRequestException e)
                {
                    last = $"last attempt: {e.Message}";
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    last = "last attempt timed out after 2s";
                }
            }

            var left = probe.Timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return $"{url} did not answer {ExpectedText(probe.ExpectedStatus)} within {DurationText.Format(probe.Timeout)} ({last})";
            }

            await Task.WhenAny(exited, Task.Delay(left < probe.Interval ? left : probe.Interval, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public async Task<TrafficResult> SendAsync(IReadOnlyList<TrafficRequest> requests, CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0;
        var failures = new List<string>();
        foreach (var request in requests)
        {
            var url = Resolve(request.Url);
            var bad = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < request.Repeat; i++)
            {
                sent++;
                var problem = await SendOneAsync(request, url, cancellationToken).ConfigureAwait(false);
                if (problem is not null)
                {
                    failed++;
                    bad[problem] = bad.GetValueOrDefault(problem) + 1;
                }
            }

            foreach (var (problem, count) in bad)
            {
                failures.Add($"{request.Name}: {problem} ({count} of {request.Repeat})");
            }
        }

        return new TrafficResult(sent, failed, failures, []);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A path relative to the base URL, or an absolute URL; <c>${VAR}</c> filled in either way.</summary>
    public string Resolve(string pathOrUrl)
    {
        var expanded = Expand(pathOrUrl);
        return expanded.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || expanded.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            ? expanded
            : _baseUrl + (expanded.StartsWith('/') ? expanded : "/" + expanded);
    }

    /// <summary>Fills <c>${VAR}</c> from the service's environment; unknown variables are left as they are, so the error shows them.</summary>
    public string Expand(string text) =>
        Variable().Replace(text, m => _environment.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    internal static bool StatusMatches(IReadOnlyList<int> expected, int code) =>
        expected.Count == 0 ? code is >= 200 and < 300 : expected.Contains(code);

    internal static string ExpectedText(IReadOnlyList<int> expected) =>
        expected.Count == 0 ? "2xx" : string.Join(" or ", expected.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    private async Task<string?> SendOneAsync(TrafficRequest request, string url, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), url);
        if (request.Body is not null)
        {
            message.Content = new StringContent(Expand(request.Body), Encoding.UTF8);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(request.ContentType ?? "application/json");
        }

        foreach (var (name, value) in request.Headers)
        {
            var v = Expand(value);
            if (!message.Headers.TryAddWithoutValidation(name, v))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, v);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            using var response = await _client.SendAsync(message, timeout.Token).ConfigureAwait(false);
            var code = (int)response.StatusCode;
            return StatusMatches(request.ExpectedStatus, code) ? null : $"expected {ExpectedText(request.ExpectedStatus)}, got {code}";
        }
        catch (HttpRequestException e)
        {
            return $"no answer: {e.Message}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {DurationText.Format(request.Timeout)}";
        }
    }

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
