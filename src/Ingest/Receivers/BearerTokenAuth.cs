using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Autopilot.Ingest.Grpc;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Optional bearer-token check for both ports, with roles. With no tokens every request passes. With tokens,
/// a request without a valid <c>Authorization: Bearer</c> header gets HTTP 401 / gRPC UNAUTHENTICATED, and one
/// whose token lacks the role the request needs gets 403 / PERMISSION_DENIED. The role a request needs: the
/// endpoint's <see cref="RequiredRoleMetadata"/> when it has one; otherwise <see cref="AccessRole.Ingest"/> for
/// the OTLP, OpenLineage and remote-write receivers, <see cref="AccessRole.Read"/> for GET and HEAD and for the
/// other gRPC services (queries), <see cref="AccessRole.Admin"/> for everything else. <c>/healthz</c> stays open
/// for probes, and so do the dashboard's static files (<c>GET /</c>, <c>/assets/*</c>: code, no data). Browsers
/// cannot set headers on an EventSource, so the live event stream <c>/api/events</c> also takes the token as
/// <c>?access_token=</c>; nothing else does. Tokens are compared as SHA-256 digests in constant time, every token every time, and are never logged.
/// </summary>
public sealed partial class BearerTokenAuth
{
    private const int IngestBit = 1;
    private const int ReadBit = 2;
    private const int AdminBit = 4;

    private readonly (byte[] Digest, int Grants)[] _tokens;
    private readonly ILogger _logger;

    /// <summary>Tokens valid for everything (the <c>--auth-token</c> meaning).</summary>
    public BearerTokenAuth(IEnumerable<string> tokens)
        : this((tokens ?? throw new ArgumentNullException(nameof(tokens))).Select(t => (t, AccessRole.Admin)))
    {
    }

    public BearerTokenAuth(IEnumerable<(string Token, AccessRole Role)> tokens, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = tokens
            .Where(t => !string.IsNullOrWhiteSpace(t.Token))
            .Select(t => (SHA256.HashData(Encoding.UTF8.GetBytes(t.Token.Trim())), Grants(t.Role)))
            .ToArray();
        _logger = logger ?? NullLogger.Instance;
    }

    public bool Enabled => _tokens.Length > 0;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (!Enabled || context.Request.Path.Equals("/healthz", StringComparison.Ordinal) || IsDashboardFile(context.Request))
        {
            await next(context);
            return;
        }

        var required = RequiredRole(context);
        var grants = GrantsOf(context.Request);
        if (grants != 0 && (grants & Bit(required)) != 0)
        {
            await next(context);
            return;
        }

        var grpc = GrpcWire.IsGrpcRequest(context.Request);
        if (grants == 0)
        {
            LogRefused(_logger, context.Request.Method, context.Request.Path, "missing or invalid bearer token");
            const string message = "missing or invalid bearer token: send 'Authorization: Bearer <token>'";
            if (grpc)
            {
                GrpcWire.WriteError(context.Response, new RpcStatus(GrpcStatusCode.Unauthenticated, message));
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await context.Response.WriteAsync(message + "\n");
            return;
        }

        var has = (grants & IngestBit) != 0 ? "ingest" : "read";
        var forbidden = $"{context.Request.Method} {context.Request.Path} needs a token with the {Name(required)} role{(required == AccessRole.Admin ? string.Empty : " or admin")}; this token has the {has} role";
        LogForbidden(_logger, context.Request.Method, context.Request.Path, has, required);
        if (grpc)
        {
            GrpcWire.WriteError(context.Response, new RpcStatus(GrpcStatusCode.PermissionDenied, forbidden));
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsync(forbidden + "\n");
    }

    /// <summary>The role a request needs (see the class summary).</summary>
    public static AccessRole RequiredRole(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<RequiredRoleMetadata>() is { } declared)
        {
            return declared.Role;
        }

        var request = context.Request;
        var path = request.Path.Value ?? string.Empty;
        if (GrpcWire.IsGrpcRequest(request))
        {
            return path.StartsWith("/opentelemetry.proto.collector.", StringComparison.Ordinal) ? AccessRole.Ingest : AccessRole.Read;
        }

        if (HttpMethods.IsPost(request.Method) && path is "/v1/traces" or "/v1/metrics" or "/v1/logs" or "/api/v1/lineage" or "/api/v1/write")
        {
            return AccessRole.Ingest;
        }

        return HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) ? AccessRole.Read : AccessRole.Admin;
    }

    private static bool IsDashboardFile(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && (request.Path.Equals("/", StringComparison.Ordinal) || request.Path.StartsWithSegments("/assets", StringComparison.Ordinal));

    private int GrantsOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string prefix = "Bearer ";
        ReadOnlySpan<char> presented;
        if (header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            presented = header.AsSpan(prefix.Length).Trim();
        }
        else if (request.Path.Equals("/api/events", StringComparison.Ordinal) && HttpMethods.IsGet(request.Method) && request.Query["access_token"] is [{ } query])
        {
            presented = query.AsSpan().Trim();
        }
        else
        {
            return 0;
        }

        var length = Encoding.UTF8.GetMaxByteCount(presented.Length);
        var rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> bytes = rented ?? stackalloc byte[512];
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(presented, bytes)], digest);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented, clearArray: true);
        }

        // Every token is compared, in constant time, and the grants are combined without branching on the
        // result, so the time taken says nothing about which token matched.
        var grants = 0;
        foreach (var (token, tokenGrants) in _tokens)
        {
            var match = CryptographicOperations.FixedTimeEquals(token, digest) ? 1 : 0;
            grants |= tokenGrants & -match;
        }

        return grants;
    }

    private static int Grants(AccessRole role) => role switch
    {
        AccessRole.Ingest => IngestBit,
        AccessRole.Read => ReadBit,
        AccessRole.Admin => IngestBit | ReadBit | AdminBit,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };

    private static int Bit(AccessRole role) => role switch
    {
        AccessRole.Ingest => IngestBit,
        AccessRole.Read => ReadBit,
        _ => AdminBit,
    };

    private static string Name(AccessRole role) => role.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Refused {Method} {Path}: a token with the {Role} role lacks the {Required} role")]
    private static partial void LogForbidden(ILogger logger, string method, PathString path, string role, AccessRole required);
}
