using System.Security.Cryptography;
using System.Text;
using Autopilot.Ingest.Grpc;
using Microsoft.AspNetCore.Http;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Optional bearer-token check for both ports. With no tokens configured every request passes; with
/// tokens, a request without a valid <c>Authorization: Bearer</c> header gets HTTP 401 or gRPC
/// UNAUTHENTICATED. <c>/healthz</c> stays open for probes, and so do the dashboard's static files
/// (<c>GET /</c>, <c>/assets/*</c>: code, no data). Browsers cannot set headers on an EventSource, so the
/// live event stream <c>/api/events</c> also takes the token as <c>?access_token=</c>; nothing else does.
/// </summary>
public sealed class BearerTokenAuth
{
    private readonly byte[][] _tokens;

    public BearerTokenAuth(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => Encoding.UTF8.GetBytes(t.Trim())).ToArray();
    }

    public bool Enabled => _tokens.Length > 0;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!Enabled || context.Request.Path.Equals("/healthz", StringComparison.Ordinal) || IsDashboardFile(context.Request) || IsAuthorized(context.Request))
        {
            await next(context);
            return;
        }

        const string message = "missing or invalid bearer token: send 'Authorization: Bearer <token>'";
        if (GrpcWire.IsGrpcRequest(context.Request))
        {
            GrpcWire.WriteError(context.Response, new RpcStatus(GrpcStatusCode.Unauthenticated, message));
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        await context.Response.WriteAsync(message + "\n");
    }

    private static bool IsDashboardFile(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path.Equals("/", StringComparison.Ordinal) || request.Path.StartsWithSegments("/assets", StringComparison.Ordinal));

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        string credential;
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            credential = header[prefix.Length..];
        }
        else if (request.Path.Equals("/api/events", StringComparison.Ordinal) && HttpMethods.IsGet(request.Method) && request.Query["access_token"] is [{ } query])
        {
            credential = query;
        }
        else
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(credential.Trim());
        var ok = false;
        foreach (var token in _tokens)
        {
            // Constant-time per token, and every token is checked, so timing says nothing about which matched.
            ok |= CryptographicOperations.FixedTimeEquals(token, presented);
        }

        return ok;
    }
}
