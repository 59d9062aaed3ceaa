using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Autopilot.Agents.Tests.Author;

/// <summary>
/// A protocol peer for GitHub's pull-request REST endpoints on loopback Kestrel, under the GitHub Enterprise style prefix
/// <c>/api/v3</c>: <c>GET</c> and <c>POST /repos/{owner}/{repo}/pulls</c> with GitHub's status codes and error bodies
/// (401 Bad credentials, 422 Validation Failed with <c>errors[]</c>). Real GitHub is not reachable here.
/// </summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly List<JsonObject> _pulls = [];

    private FakeGitHub(WebApplication app) => _app = app;

    public string Token { get; } = "ghp_test_" + Guid.NewGuid().ToString("N");

    /// <summary>Branches that exist on the remote; a pull request from any other head is refused with 422.</summary>
    public HashSet<string> PushedBranches { get; } = new(StringComparer.Ordinal);

    public Uri ApiBase { get; private set; } = null!;

    public IReadOnlyCollection<RecordedRequest> Requests => _requests;

    public static async Task<FakeGitHub> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeGitHub(app);
        app.MapGet("/api/v3/repos/{owner}/{repo}/pulls", fake.ListAsync);
        app.MapPost("/api/v3/repos/{owner}/{repo}/pulls", fake.CreateAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.ApiBase = new Uri(address + "/api/v3/");
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> ListAsync(HttpContext context, string owner, string repo)
    {
        Record(context, null);
        if (!Authorized(context))
        {
            return Unauthorized();
        }

        var head = context.Request.Query["head"].ToString();
        lock (_pulls)
        {
            var open = _pulls.Where(p => $"{owner}:{(string)p["head"]!["ref"]!}" == head && (string?)p["state"] == "open").ToList();
            return Results.Json(new JsonArray([.. open.Select(p => p.DeepClone())]));
        }
    }

    private async Task<IResult> CreateAsync(HttpContext context, string owner, string repo)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        Record(context, body);
        if (!Authorized(context))
        {
            return Unauthorized();
        }

        var missing = new[] { "title", "head", "base" }.Where(f => body?[f] is null).ToList();
        if (missing.Count > 0)
        {
            return Invalid(missing.Select(f => new JsonObject { ["resource"] = "PullRequest", ["code"] = "missing_field", ["field"] = f }));
        }

        var head = (string)body!["head"]!;
        if (!PushedBranches.Contains(head))
        {
            return Invalid([new JsonObject { ["resource"] = "PullRequest", ["code"] = "invalid", ["field"] = "head", ["message"] = $"head {head} does not exist on {owner}/{repo}" }]);
        }

        lock (_pulls)
        {
            var number = _pulls.Count + 1;
            var pull = new JsonObject
            {
                ["number"] = number,
                ["state"] = "open",
                ["title"] = (string)body["title"]!,
                ["html_url"] = $"https://github.example/{owner}/{repo}/pull/{number}",
                ["head"] = new JsonObject { ["ref"] = head },
                ["base"] = new JsonObject { ["ref"] = (string)body["base"]! },
            };
            _pulls.Add(pull);
            return Results.Json(pull, statusCode: StatusCodes.Status201Created);
        }
    }

    private void Record(HttpContext context, JsonObject? body) =>
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.Authorization.ToString(),
            context.Request.Headers.Accept.ToString(),
            context.Request.Headers["X-GitHub-Api-Version"].ToString(),
            context.Request.Headers.UserAgent.ToString(),
            body));

    private bool Authorized(HttpContext context) => context.Request.Headers.Authorization.ToString() == "Bearer " + Token;

    private static IResult Unauthorized() =>
        Results.Json(new { message = "Bad credentials", documentation_url = "https://docs.github.com/rest" }, statusCode: StatusCodes.Status401Unauthorized);

    private static IResult Invalid(IEnumerable<JsonObject> errors) =>
        Results.Json(new JsonObject { ["message"] = "Validation Failed", ["errors"] = new JsonArray([.. errors]) }, statusCode: StatusCodes.Status422UnprocessableEntity);

    internal sealed record RecordedRequest(string Method, string PathAndQuery, string Authorization, string Accept, string ApiVersion, string UserAgent, JsonObject? Body);
}
