using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Autopilot.Rca.Tests.Support;

/// <summary>
/// A loopback HTTP server speaking the two LLM protocols the explainer uses: OpenAI chat completions
/// (<c>POST /v1/chat/completions</c>) and Anthropic messages (<c>POST /v1/messages</c>). It is a protocol peer,
/// not a model: each request gets the reply the test chose (a valid or invalid answer, an HTTP error, or no
/// answer until the client gives up), and every request body is kept for the test to inspect.
/// </summary>
internal sealed class ChatServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChatServer(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri BaseUrl { get; }

    /// <summary>What the next requests get: the model's text, an HTTP status with a body, or a hang.</summary>
    public Reply Next { get; set; } = Reply.Text("{}");

    public ConcurrentQueue<(string Path, JsonElement Body, Dictionary<string, string> Headers)> Requests { get; } = new();

    public static async Task<ChatServer> StartAsync()
    {
        var port = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new ChatServer(app, port);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        app.MapPost("/v1/messages", server.HandleAsync);
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        using var doc = await JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
        // Kestrel recycles the header collection after the request: copy it.
        Requests.Enqueue((ctx.Request.Path, doc.RootElement.Clone(), ctx.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
        var reply = Next;
        if (reply.Hang)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, ctx.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up, as it should
            }
        }

        ctx.Response.StatusCode = reply.Status;
        ctx.Response.ContentType = "application/json";
        if (reply.Status != 200)
        {
            await ctx.Response.WriteAsync(reply.Content);
            return;
        }

        var model = doc.RootElement.TryGetProperty("model", out var m) ? m.GetString() : "unknown";
        var body = ctx.Request.Path == "/v1/messages"
            ? new JsonObject
            {
                ["id"] = "msg_test",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = reply.Content }),
                ["stop_reason"] = "end_turn",
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = 100, ["output_tokens"] = 50 },
            }
            : new JsonObject
            {
                ["id"] = "chatcmpl-test",
                ["object"] = "chat.completion",
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 50, ["total_tokens"] = 150 },
            };
        await ctx.Response.WriteAsync(body.ToJsonString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    internal sealed record Reply(int Status, string Content, bool Hang)
    {
        public static Reply Text(string modelText) => new(200, modelText, false);

        public static Reply Error(int status, string body) => new(status, body, false);

        public static Reply Never() => new(200, string.Empty, true);
    }
}
