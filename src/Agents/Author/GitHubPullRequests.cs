using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Autopilot.Agents.Author;

/// <summary>
/// Opens a pull request through the GitHub REST API (<c>POST /repos/{owner}/{repo}/pulls</c>), after asking whether an
/// open one already exists for the branch (<c>GET /repos/{owner}/{repo}/pulls?head=owner:branch&amp;state=open</c>), so a
/// second run finds the first run's pull request instead of failing with 422. The branch must already be on GitHub:
/// pushing it is the caller's step.
/// </summary>
public sealed class GitHubPullRequests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly GitHubOptions _options;

    public GitHubPullRequests(GitHubOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        var root = options.ApiBase.AbsoluteUri.EndsWith('/') ? options.ApiBase : new Uri(options.ApiBase.AbsoluteUri + "/");
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.BaseAddress = root;
        _http.Timeout = Timeout;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        _http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", "2022-11-28");
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("autopilot-author", "1.0"));
    }

    /// <summary>The open pull request from <paramref name="head"/> into <paramref name="baseBranch"/>, opening it when there is none.</summary>
    public async Task<PullRequestInfo> OpenAsync(string head, string baseBranch, string title, string body, CancellationToken cancellationToken)
    {
        var pulls = $"repos/{_options.Repository}/pulls";
        var query = $"{pulls}?head={Uri.EscapeDataString(_options.Owner + ":" + head)}&base={Uri.EscapeDataString(baseBranch)}&state=open";
        using (var existing = await SendAsync(HttpMethod.Get, query, null, cancellationToken).ConfigureAwait(false))
        {
            if (existing.RootElement.ValueKind == JsonValueKind.Array && existing.RootElement.GetArrayLength() > 0)
            {
                return Read(existing.RootElement[0], created: false, "GET " + pulls);
            }
        }

        var request = new Dictionary<string, object> { ["title"] = title, ["head"] = head, ["base"] = baseBranch, ["body"] = body, ["maintainer_can_modify"] = true };
        using var made = await SendAsync(HttpMethod.Post, pulls, request, cancellationToken).ConfigureAwait(false);
        return Read(made.RootElement, created: true, "POST " + pulls);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> SendAsync(HttpMethod method, string relative, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(relative, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var what = $"{method} {new Uri(_http.BaseAddress!, relative).GetLeftPart(UriPartial.Path)}";
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new GitHubException($"{what}: could not reach the API ({e.Message}).", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GitHubException($"{what}: no answer within {Timeout.TotalSeconds:0} s.", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new GitHubException($"{what}: GitHub answered {(int)response.StatusCode} {response.ReasonPhrase}: {Explain(text)}");
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                throw new GitHubException($"{what}: the answer is not JSON ({e.Message}).", e);
            }
        }
    }

    private static PullRequestInfo Read(JsonElement pull, bool created, string what)
    {
        if (pull.ValueKind == JsonValueKind.Object
            && pull.TryGetProperty("number", out var number) && number.TryGetInt32(out var n)
            && pull.TryGetProperty("html_url", out var url) && url.GetString() is { } u)
        {
            return new PullRequestInfo(n, u, created);
        }

        throw new GitHubException($"{what}: the answer has no number and html_url.");
    }

    /// <summary>GitHub's error body: <c>message</c> plus each <c>errors[].message</c> (422 validation failures put the reason there).</summary>
    private static string Explain(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var sb = new StringBuilder();
            if (doc.RootElement.TryGetProperty("message", out var message))
            {
                sb.Append(message.GetString());
            }

            if (doc.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                foreach (var e in errors.EnumerateArray())
                {
                    var detail = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("message", out var m) ? m.GetString() : e.ToString();
                    sb.Append(" (").Append(detail).Append(')');
                }
            }

            return sb.Length > 0 ? sb.ToString() : text;
        }
        catch (JsonException)
        {
            return text.Length > 200 ? text[..200] + "…" : text;
        }
    }
}
