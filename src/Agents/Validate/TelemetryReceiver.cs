using System.Net;
using Autopilot.Ingest.Grpc;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Autopilot.Agents.Validate;

/// <summary>
/// The embedded receiver the service under test exports to: OTLP/gRPC (h2c) on one loopback port, OTLP/HTTP
/// (protobuf and JSON) and OpenLineage (<c>POST /api/v1/lineage</c>) on another, both on free ports. Payloads
/// go through the ingest decoders (<see cref="SignalDecoder"/>, <see cref="OpenLineageDecoder"/>), so the
/// service is judged by exactly what <c>autopilot serve</c> would accept; nothing is written to disk. What
/// arrives lands in a <see cref="TelemetryCapture"/>, refusals with their reason.
/// </summary>
internal sealed class TelemetryReceiver : IAsyncDisposable
{
    private const int MaxRequestBytes = 16 * 1024 * 1024;

    private readonly WebApplication _app;
    private readonly ListenOptions _grpc;
    private readonly ListenOptions _http;
    private readonly SignalDecoder _decoder = new(new IngestOptions { MaxRequestBytes = MaxRequestBytes });

    private TelemetryReceiver(WebApplication app, ListenOptions grpc, ListenOptions http)
    {
        _app = app;
        _grpc = grpc;
        _http = http;
    }

    public TelemetryCapture Capture { get; } = new();

    /// <summary>OTLP/gRPC endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string GrpcEndpoint => $"http://127.0.0.1:{_grpc.IPEndPoint!.Port}";

    /// <summary>OTLP/HTTP and OpenLineage base URL.</summary>
    public string HttpEndpoint => $"http://127.0.0.1:{_http.IPEndPoint!.Port}";

    public static async Task<TelemetryReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ListenOptions? grpc = null, http = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = MaxRequestBytes + 1L;

            // As in `autopilot serve`: gRPC needs HTTP/2 with prior knowledge, OTLP/HTTP exporters speak HTTP/1.1.
            kestrel.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                grpc = l;
            });
            kestrel.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                http = l;
            });
        });

        var app = builder.Build();
        var receiver = new TelemetryReceiver(app, grpc!, http!);
        receiver.Map();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private void Map()
    {
        _app.MapPost("/v1/traces", ctx => OtlpHttpAsync(ctx, IngestSignal.Traces));
        _app.MapPost("/v1/metrics", ctx => OtlpHttpAsync(ctx, IngestSignal.Metrics));
        _app.MapPost("/v1/logs", ctx => OtlpHttpAsync(ctx, IngestSignal.Logs));
        _app.MapPost("/opentelemetry.proto.collector.trace.v1.TraceService/Export", ctx => OtlpGrpcAsync(ctx, IngestSignal.Traces));
        _app.MapPost("/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", ctx => OtlpGrpcAsync(ctx, IngestSignal.Metrics));
        _app.MapPost("/opentelemetry.proto.collector.logs.v1.LogsService/Export", ctx => OtlpGrpcAsync(ctx, IngestSignal.Logs));
        _app.MapPost("/api/v1/lineage", LineageAsync);
        _app.MapFallback(UnknownAsync);
    }

    private async Task OtlpHttpAsync(HttpContext ctx, IngestSignal signal)
    {
        var what = $"OTLP/HTTP {Name(signal)}";
        var contentType = ctx.Request.ContentType ?? string.Empty;
        var json = contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase);
        if (!json && !contentType.StartsWith("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseHttpAsync(ctx, $"{what}: unsupported Content-Type '{contentType}' (use application/x-protobuf or application/json)").ConfigureAwait(false);
            return;
        }

        byte[] body;
        try
        {
            body = await ReadBodyAsync(ctx.Request, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (GrpcException e)
        {
            await RefuseHttpAsync(ctx, $"{what}: {e.Status.Message}").ConfigureAwait(false);
            return;
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            await RefuseHttpAsync(ctx, $"{what}: {e.Message}").ConfigureAwait(false);
            return;
        }

        if (Accept(signal, json ? PayloadFormat.Json : PayloadFormat.Protobuf, body, what) is { } problem)
        {
            await RefuseHttpAsync(ctx, problem, record: false).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = json ? "application/json" : "application/x-protobuf";
        if (json)
        {
            await ctx.Response.WriteAsync("{}", ctx.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task OtlpGrpcAsync(HttpContext ctx, IngestSignal signal)
    {
        var what = $"OTLP/gRPC {Name(signal)}";
        if (!GrpcWire.IsGrpcRequest(ctx.Request))
        {
            Capture.AddRefused($"{what}: not a gRPC request (Content-Type '{ctx.Request.ContentType}'); is OTEL_EXPORTER_OTLP_PROTOCOL set to the protocol the exporter really speaks?");
            ctx.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        try
        {
            var message = await GrpcWire.ReadUnaryRequestAsync(ctx.Request, MaxRequestBytes, ctx.RequestAborted).ConfigureAwait(false);
            if (Accept(signal, PayloadFormat.Protobuf, message, what) is { } problem)
            {
                GrpcWire.WriteError(ctx.Response, new RpcStatus(GrpcStatusCode.InvalidArgument, problem));
                return;
            }

            // An empty Export*ServiceResponse: full success.
            await GrpcWire.WriteUnaryResponseAsync(ctx.Response, ReadOnlyMemory<byte>.Empty, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (GrpcException e)
        {
            Capture.AddRefused($"{what}: {e.Status.Message}");
            GrpcWire.WriteError(ctx.Response, e.Status);
        }
    }

    private async Task LineageAsync(HttpContext ctx)
    {
        try
        {
            var body = await ReadBodyAsync(ctx.Request, ctx.RequestAborted).ConfigureAwait(false);
            Capture.AddLineage(OpenLineageDecoder.Parse(body));
            ctx.Response.StatusCode = StatusCodes.Status201Created;
        }
        catch (LineageFormatException e)
        {
            await RefuseHttpAsync(ctx, $"OpenLineage event: {e.Message}").ConfigureAwait(false);
        }
        catch (GrpcException e)
        {
            await RefuseHttpAsync(ctx, $"OpenLineage event: {e.Status.Message}").ConfigureAwait(false);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            await RefuseHttpAsync(ctx, $"OpenLineage event: {e.Message}").ConfigureAwait(false);
        }
    }

    private async Task UnknownAsync(HttpContext ctx)
    {
        // A wrong path is the typical misconfiguration (an endpoint with the signal path appended twice, or an
        // OTLP/HTTP exporter pointed at the gRPC port): record it, so the report can say so.
        Capture.AddRefused($"{ctx.Request.Method} {ctx.Request.Path} on {(ctx.Connection.LocalPort == _grpc.IPEndPoint!.Port ? "the gRPC port" : "the HTTP port")}: no such endpoint (OTLP/HTTP is POST /v1/traces|metrics|logs, OpenLineage POST /api/v1/lineage)");
        if (GrpcWire.IsGrpcRequest(ctx.Request))
        {
            GrpcWire.WriteError(ctx.Response, new RpcStatus(GrpcStatusCode.Unimplemented, $"unknown gRPC method {ctx.Request.Path}"));
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status404NotFound;
        await ctx.Response.WriteAsync($"no endpoint {ctx.Request.Method} {ctx.Request.Path}\n", ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Decodes and captures one request; returns why it was refused, or null.</summary>
    private string? Accept(IngestSignal signal, PayloadFormat format, byte[] body, string what)
    {
        var decoded = new DecodedRequest();
        try
        {
            _decoder.Decode(signal, format, body, decoded);
        }
        catch (InvalidRequestException e)
        {
            var reason = $"{what}: {e.Message}";
            Capture.AddRefused(reason);
            return reason;
        }

        var links = signal == IngestSignal.Traces
            ? (format == PayloadFormat.Json ? OtlpLinkReader.FromJson(body) : OtlpLinkReader.FromProtobuf(body))
            : null;
        Capture.AddSignals(decoded.Signals, links);
        if (decoded.RejectedItems > 0)
        {
            // Partial success: the good items count, the bad ones are reported.
            Capture.AddRefused($"{what}: {decoded.RejectedItems} item(s) rejected: {decoded.FirstError}");
        }

        return null;
    }

    private async Task RefuseHttpAsync(HttpContext ctx, string reason, bool record = true)
    {
        if (record)
        {
            Capture.AddRefused(reason);
        }

        ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
        ctx.Response.ContentType = "text/plain";
        await ctx.Response.WriteAsync(reason + "\n", CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        var body = buffer.ToArray();
        return string.Equals(request.Headers.ContentEncoding.ToString(), "gzip", StringComparison.OrdinalIgnoreCase)
            ? BoundedDecompression.Gunzip(body, MaxRequestBytes)
            : body;
    }

    private static string Name(IngestSignal signal) => signal switch
    {
        IngestSignal.Traces => "traces",
        IngestSignal.Metrics => "metrics",
        _ => "logs",
    };
}
