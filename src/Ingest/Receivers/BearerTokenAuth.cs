using System.Security.Cryptography;
using System.Text;
using Autopilot.Ingest.Grpc;
using Microsoft.AspNetCore.Http;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Optional bearer-token check for both ports. With no tokens configured every request passes; with
/// tokens, a request without a valid <c>Authorization: Bearer</c> header gets HTTP 401 or gRPC
/// UNAUTHENTICATED. <c>/healthz</c> stays open for probes.
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
        if (!Enabled || context.Request.Path.Equals("/healthz", StringComparison.Ordinal) || IsAuthorized(context.Request))
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

    private bool IsAuthorized(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(header[prefix.Length..].Trim());
        var ok = false;
        foreach (var token in _tokens)
        {
            // Constant-time per token, and every token is checked, so timing says nothing about which matched.
            ok |= CryptographicOperations.FixedTimeEquals(token, presented);
        }

        return ok;
    }
}
