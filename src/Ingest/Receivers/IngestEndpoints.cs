using System.Text.Json;
using Autopilot.Ingest.Grpc;
using Autopilot.Ingest.Inventory;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The receivers: OTLP/HTTP (<c>/v1/traces|metrics|logs</c>), OTLP/gRPC (the three Export methods),
/// OpenLineage (<c>/api/v1/lineage</c>), Prometheus remote write (<c>/api/v1/write</c>), and the asset
/// inventory API. Errors follow the Collector: bad input → 400 / INVALID_ARGUMENT with a message naming
/// the problem, too large → 413, overload → 429 or 503 / RESOURCE_EXHAUSTED or UNAVAILABLE with a retry hint.
/// </summary>
public static class IngestEndpoints
{
    // As the engines' API writes JSON (EngineJson): quotes and URN characters as they are, not as \u0027 escapes.
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder app, IngestService ingest, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(options);

        app.MapPost("/v1/traces", ctx => OtlpHttpAsync(ctx, ingest, options, IngestSignal.Traces));
        app.MapPost("/v1/metrics", ctx => OtlpHttpAsync(ctx, ingest, options, IngestSignal.Metrics));
        app.MapPost("/v1/logs", ctx => OtlpHttpAsync(ctx, ingest, options, IngestSignal.Logs));
        app.MapPost("/opentelemetry.proto.collector.trace.v1.TraceService/Export", ctx => OtlpGrpcAsync(ctx, ingest, options, IngestSignal.Traces));
        app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", ctx => OtlpGrpcAsync(ctx, ingest, options, IngestSignal.Metrics));
        app.MapPost("/opentelemetry.proto.collector.logs.v1.LogsService/Export", ctx => OtlpGrpcAsync(ctx, ingest, options, IngestSignal.Logs));
        app.MapPost("/api/v1/lineage", ctx => LineageAsync(ctx, ingest, options));
        app.MapPost("/api/v1/write", ctx => RemoteWriteAsync(ctx, ingest, options));
        app.MapGet("/api/assets", (string? kind, string? q, string? limit, string? after) =>
        {
            if (!QueryParameters.TryLimit(limit, out var l, out var error))
            {
                return BadRequest(error);
            }

            var filters = "assets|" + kind + "|" + q;
            string? afterUrn = null;
            if (after is not null)
            {
                if (!PageToken.TryRead(after, filters, "kind and q", out _, out var urn, out error))
                {
                    return BadRequest(error);
                }

                afterUrn = urn;
            }

            var assets = ingest.Inventory.List(kind, q, l, afterUrn);
            var next = assets.Count == l ? PageToken.Encode(0, assets[^1].Urn, filters) : null;
            return Results.Json(new { assets, next }, s_json);
        });
        app.MapGet("/api/assets/{**urn}", (HttpContext ctx) => AssetAsync(ctx, ingest.Inventory));
        return app;
    }

    private static IResult BadRequest(string? message) =>
        Results.Json(new { code = 400, message }, s_json, statusCode: StatusCodes.Status400BadRequest);

    private static async Task OtlpHttpAsync(HttpContext ctx, IngestService ingest, IngestOptions options, IngestSignal signal)
    {
        var contentType = ctx.Request.ContentType ?? string.Empty;
        var json = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        var protobuf = contentType.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase)
            || contentType.StartsWith("application/protobuf", StringComparison.OrdinalIgnoreCase);
        if (!json && !protobuf)
        {
            IngestMetrics.Count(IngestService.SignalName(signal), "http", "invalid", 0);
            await WriteHttpStatusAsync(ctx, json: false, StatusCodes.Status400BadRequest,
                new RpcStatus(GrpcStatusCode.InvalidArgument, $"unsupported Content-Type '{contentType}'; use application/x-protobuf or application/json"));
            return;
        }

        try
        {
            using var body = await ingest.ReadBodyAsync(signal, "http", budget => RequestBody.ReadAsync(ctx.Request, options.MaxRequestBytes, removeGzip: true, ctx.RequestAborted, budget));
            using var admission = await ingest.AdmitAsync(signal, "http", ctx.RequestAborted);
            var result = await ingest.AcceptAsync(signal, "http", json ? PayloadFormat.Json : PayloadFormat.Protobuf, body, ctx.RequestAborted);
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            if (json)
            {
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(ExportResponse.ToJson(signal, result), ctx.RequestAborted);
            }
            else
            {
                ctx.Response.ContentType = "application/x-protobuf";
                await ctx.Response.Body.WriteAsync(ExportResponse.ToProtobuf(result), ctx.RequestAborted);
            }
        }
        catch (Exception e) when (TryMapHttp(e, ctx, signal, out var status, out var rpc))
        {
            await WriteHttpStatusAsync(ctx, json, status, rpc);
        }
    }

    private static async Task OtlpGrpcAsync(HttpContext ctx, IngestService ingest, IngestOptions options, IngestSignal signal)
    {
        if (!GrpcWire.IsGrpcRequest(ctx.Request))
        {
            ctx.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await ctx.Response.WriteAsync("gRPC method: send Content-Type application/grpc over HTTP/2\n", ctx.RequestAborted);
            return;
        }

        // The frame header announces the message size and ReadUnaryRequestAsync refuses it past the cap
        // before reading it; Kestrel's own body limit would only reset the stream without a gRPC status.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        try
        {
            using var message = await ingest.ReadBodyAsync(signal, "grpc", budget => GrpcWire.ReadUnaryRequestBufferAsync(ctx.Request, options.MaxRequestBytes, ctx.RequestAborted, budget));
            using var admission = await ingest.AdmitAsync(signal, "grpc", ctx.RequestAborted);
            var result = await ingest.AcceptAsync(signal, "grpc", PayloadFormat.Protobuf, message, ctx.RequestAborted);
            await GrpcWire.WriteUnaryResponseAsync(ctx.Response, ExportResponse.ToProtobuf(result), ctx.RequestAborted);
        }
        catch (GrpcException e)
        {
            IngestMetrics.Count(IngestService.SignalName(signal), "grpc", "invalid", 0);
            GrpcWire.WriteError(ctx.Response, e.Status);
        }
        catch (InvalidRequestException e)
        {
            GrpcWire.WriteError(ctx.Response, new RpcStatus(GrpcStatusCode.InvalidArgument, e.Message));
        }
        catch (OverloadedException e)
        {
            GrpcWire.WriteError(ctx.Response, new RpcStatus(e.Unavailable ? GrpcStatusCode.Unavailable : GrpcStatusCode.ResourceExhausted, e.Message, e.RetryAfter));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            IngestMetrics.Count(IngestService.SignalName(signal), "grpc", "invalid", 0);
            GrpcWire.WriteError(ctx.Response, new RpcStatus(GrpcStatusCode.InvalidArgument, e.Message));
        }
    }

    private static async Task LineageAsync(HttpContext ctx, IngestService ingest, IngestOptions options)
    {
        var contentType = ctx.Request.ContentType ?? string.Empty;
        if (!contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            IngestMetrics.Count("lineage", "http", "invalid", 0);
            await WriteHttpStatusAsync(ctx, json: true, StatusCodes.Status400BadRequest,
                new RpcStatus(GrpcStatusCode.InvalidArgument, $"unsupported Content-Type '{contentType}'; OpenLineage events are application/json"));
            return;
        }

        try
        {
            using var body = await ingest.ReadBodyAsync(IngestSignal.Lineage, "openlineage", budget => RequestBody.ReadAsync(ctx.Request, options.MaxRequestBytes, removeGzip: true, ctx.RequestAborted, budget));
            using var admission = await ingest.AdmitAsync(IngestSignal.Lineage, "openlineage", ctx.RequestAborted);
            await ingest.AcceptAsync(IngestSignal.Lineage, "openlineage", PayloadFormat.Json, body, ctx.RequestAborted);

            // Marquez answers 201 Created with no body.
            ctx.Response.StatusCode = StatusCodes.Status201Created;
        }
        catch (Exception e) when (TryMapHttp(e, ctx, IngestSignal.Lineage, out var status, out var rpc))
        {
            await WriteHttpStatusAsync(ctx, json: true, status, rpc);
        }
    }

    private static async Task RemoteWriteAsync(HttpContext ctx, IngestService ingest, IngestOptions options)
    {
        try
        {
            var encoding = ctx.Request.Headers.ContentEncoding.ToString();
            if (encoding.Length > 0 && !encoding.Equals("snappy", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidRequestException($"Content-Encoding '{encoding}' is not supported; remote write 1.0 bodies are snappy-compressed");
            }

            using var body = await ingest.ReadBodyAsync(IngestSignal.RemoteWrite, "prometheus", budget => RequestBody.ReadAsync(ctx.Request, options.MaxRequestBytes, removeGzip: false, ctx.RequestAborted, budget));
            using var admission = await ingest.AdmitAsync(IngestSignal.RemoteWrite, "prometheus", ctx.RequestAborted);
            await ingest.AcceptAsync(IngestSignal.RemoteWrite, "prometheus", PayloadFormat.SnappyProtobuf, body, ctx.RequestAborted);
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        catch (Exception e) when (TryMapHttp(e, ctx, IngestSignal.RemoteWrite, out var status, out var rpc))
        {
            // Prometheus logs the body of an error response: plain text says it best.
            ctx.Response.StatusCode = status;
            if (rpc.RetryDelay is { } delay)
            {
                ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await ctx.Response.WriteAsync(rpc.Message + "\n", CancellationToken.None);
        }
    }

    private static async Task AssetAsync(HttpContext ctx, AssetInventory inventory)
    {
        var urn = RawTail(ctx, "/api/assets/");
        var asset = urn is null ? null : inventory.Get(urn);
        if (asset is null)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            await ctx.Response.WriteAsJsonAsync(new { code = 404, message = $"no asset '{urn}' has been seen" }, s_json);
            return;
        }

        await ctx.Response.WriteAsJsonAsync(asset, s_json);
    }

    /// <summary>
    /// The URN after the prefix, from the raw request target: URNs carry their own percent-encoding
    /// (<c>%3A</c> inside parts), so a URN written as-is is taken as-is, and one that was URL-encoded
    /// whole (starts with <c>urn%3A</c>) is decoded once.
    /// </summary>
    private static string? RawTail(HttpContext ctx, string prefix)
    {
        var raw = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget ?? ctx.Request.Path.Value ?? string.Empty;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0)
        {
            raw = raw[..query];
        }

        if (!raw.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var tail = raw[prefix.Length..];
        return tail.StartsWith("urn:", StringComparison.Ordinal) ? tail : Uri.UnescapeDataString(tail);
    }

    private static bool TryMapHttp(Exception e, HttpContext ctx, IngestSignal signal, out int status, out RpcStatus rpc)
    {
        switch (e)
        {
            case InvalidRequestException invalid:
                status = StatusCodes.Status400BadRequest;
                rpc = new RpcStatus(GrpcStatusCode.InvalidArgument, invalid.Message);
                return true;
            case RequestBody.TooLargeException tooLarge:
                IngestMetrics.Count(IngestService.SignalName(signal), ProtocolOf(ctx), "invalid", 0);
                status = StatusCodes.Status413PayloadTooLarge;
                rpc = new RpcStatus(GrpcStatusCode.InvalidArgument, tooLarge.Message);
                return true;
            case OverloadedException overloaded:
                status = overloaded.Unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
                rpc = new RpcStatus(overloaded.Unavailable ? GrpcStatusCode.Unavailable : GrpcStatusCode.ResourceExhausted, overloaded.Message, overloaded.RetryAfter);
                return true;
            case Microsoft.AspNetCore.Http.BadHttpRequestException bad:
                status = bad.StatusCode;
                rpc = new RpcStatus(GrpcStatusCode.InvalidArgument, bad.Message);
                return true;
            default:
                status = 0;
                rpc = null!;
                return false;
        }
    }

    private static string ProtocolOf(HttpContext ctx) => ctx.Request.Path.StartsWithSegments("/api/v1/lineage", StringComparison.Ordinal) ? "openlineage"
        : ctx.Request.Path.StartsWithSegments("/api/v1/write", StringComparison.Ordinal) ? "prometheus" : "http";

    private static async Task WriteHttpStatusAsync(HttpContext ctx, bool json, int statusCode, RpcStatus status)
    {
        ctx.Response.StatusCode = statusCode;
        if (status.RetryDelay is { } delay)
        {
            ctx.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(delay.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (json)
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(status.ToJson(), CancellationToken.None);
        }
        else
        {
            ctx.Response.ContentType = "application/x-protobuf";
            await ctx.Response.Body.WriteAsync(status.ToProtobuf(), CancellationToken.None);
        }
    }
}
