using System.Diagnostics;
using Autopilot.Engines.Events;
using Autopilot.Engines.State;
using Autopilot.Ingest.Grpc;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Proto = Autopilot.Rca.Grpc.V1;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// The methods of <c>autopilot.rca.v1.RcaService</c> on the hand-rolled gRPC layer (<see cref="GrpcWire"/>):
/// Explain, Analyze and ListIncidents are unary; WatchIncidents is in <see cref="IncidentWatch"/>. Every
/// failure becomes a gRPC status whose message names the problem; nothing escapes to Kestrel.
/// </summary>
internal sealed class RcaGrpcService(RcaAnalyzer analyzer, IEngineStore store, EventBroadcaster live, ILogger logger, CancellationToken stopping)
{
    /// <summary>RCA requests are a few fields; anything near this is not one.</summary>
    internal const int MaxRequestBytes = 64 * 1024;

    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    /// <summary>A page ends before its incidents pass this (a client's default limit is 4 MiB a message).</summary>
    private const int MaxPageBytes = IncidentMessages.MaxMessageBytes;

    public Task ExplainAsync(HttpContext ctx) => UnaryAsync(ctx, "Explain", Proto.ExplainRequest.Parser, ExplainAsync);

    public Task AnalyzeAsync(HttpContext ctx) => UnaryAsync(ctx, "Analyze", Proto.AnalyzeRequest.Parser, AnalyzeAsync);

    public Task ListIncidentsAsync(HttpContext ctx) => UnaryAsync(ctx, "ListIncidents", Proto.ListIncidentsRequest.Parser, (r, _) => Task.FromResult<IMessage>(ListIncidents(r)));

    public async Task WatchIncidentsAsync(HttpContext ctx)
    {
        if (!await AcceptsAsync(ctx).ConfigureAwait(false))
        {
            return;
        }

        var code = GrpcStatusCode.Ok;
        try
        {
            var request = await ReadAsync(ctx, Proto.WatchIncidentsRequest.Parser).ConfigureAwait(false);
            code = await new IncidentWatch(store, live, stopping).RunAsync(ctx, request).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            code = Answer(ctx, "WatchIncidents", e);
        }
        finally
        {
            Count("WatchIncidents", code);
        }
    }

    private async Task<IMessage> ExplainAsync(Proto.ExplainRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var choice = RcaRequestChecks.Explainer(request.Explainer, analyzer.LlmConfigured, problems);
        if (request.IncidentId.Length == 0)
        {
            problems.Add("incident_id: required (an id from ListIncidents or WatchIncidents)");
        }

        RcaRequestChecks.ThrowIfAny(problems);
        var answer = await analyzer.ExplainIncidentAsync(request.IncidentId, choice, cancellationToken).ConfigureAwait(false)
            ?? throw new GrpcException(GrpcStatusCode.NotFound, $"no incident '{request.IncidentId}'");
        return RcaProtoMapper.ToProto(answer);
    }

    private async Task<IMessage> AnalyzeAsync(Proto.AnalyzeRequest request, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var choice = RcaRequestChecks.Explainer(request.Explainer, analyzer.LlmConfigured, problems);
        RcaRequestChecks.RequiredTime("from_unix_nano", request.FromUnixNano, problems);
        RcaRequestChecks.RequiredTime("to_unix_nano", request.ToUnixNano, problems);
        if (problems.Count == 0)
        {
            if (request.ToUnixNano < request.FromUnixNano)
            {
                problems.Add("to_unix_nano: is before from_unix_nano");
            }
            else if (request.ToUnixNano - request.FromUnixNano > analyzer.Options.MaxWindow.Ticks * 100)
            {
                problems.Add($"to_unix_nano: the window from from_unix_nano to to_unix_nano is longer than the {analyzer.Options.MaxWindow.TotalDays:0.##}-day limit");
            }
        }

        // An empty symptom_urn is the same as none: some clients cannot leave an optional field unset.
        var urn = request.HasSymptomUrn && request.SymptomUrn.Length > 0 ? request.SymptomUrn : null;
        if (urn is not null)
        {
            RcaRequestChecks.Urn("symptom_urn", urn, problems);
        }

        RcaRequestChecks.ThrowIfAny(problems);
        var answer = await analyzer.AnalyzeWindowAsync(request.FromUnixNano, request.ToUnixNano, urn, choice, cancellationToken).ConfigureAwait(false);
        return RcaProtoMapper.ToProto(answer);
    }

    private Proto.ListIncidentsResponse ListIncidents(Proto.ListIncidentsRequest request)
    {
        var problems = new List<string>();
        long? from = request.HasFromUnixNano ? request.FromUnixNano : null;
        long? to = request.HasToUnixNano ? request.ToUnixNano : null;
        if (from is { } f)
        {
            RcaRequestChecks.Time("from_unix_nano", f, problems);
        }

        if (to is { } t)
        {
            RcaRequestChecks.Time("to_unix_nano", t, problems);
            if (from is { } start && t < start)
            {
                problems.Add("to_unix_nano: is before from_unix_nano");
            }
        }

        var status = RcaRequestChecks.Status(request.Status, problems);
        if (request.PageSize < 0)
        {
            problems.Add($"page_size: {request.PageSize} is negative (0 for the default of {DefaultPageSize}, at most {MaxPageSize})");
        }

        RcaRequestChecks.ThrowIfAny(problems);
        var size = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var filters = IncidentCursor.Filters(from, to, status);
        var after = request.PageToken.Length > 0 ? IncidentPageToken.Decode(request.PageToken, filters) : null;

        // One more than the page says whether another page follows. The page also ends before it would pass what a
        // client accepts by default (an incident too large alone is cut to its latest items: IncidentMessages).
        var incidents = store.QueryIncidents(new IncidentQuery(from, to, status, size + 1, after));
        var response = new Proto.ListIncidentsResponse();
        var bytes = 0;
        for (var i = 0; i < incidents.Count && i < size; i++)
        {
            var message = IncidentMessages.Fitting(incidents[i]);
            var added = CodedOutputStream.ComputeMessageSize(message) + 1;
            if (i > 0 && bytes + added > MaxPageBytes)
            {
                break;
            }

            response.Incidents.Add(message);
            bytes += added;
        }

        if (incidents.Count > response.Incidents.Count)
        {
            var last = incidents[response.Incidents.Count - 1];
            response.NextPageToken = IncidentPageToken.Encode(new IncidentCursor(last.UpdatedUnixNano, last.Id), filters);
        }

        return response;
    }

    private async Task UnaryAsync<TRequest>(HttpContext ctx, string method, MessageParser<TRequest> parser, Func<TRequest, CancellationToken, Task<IMessage>> handle)
        where TRequest : IMessage<TRequest>
    {
        if (!await AcceptsAsync(ctx).ConfigureAwait(false))
        {
            return;
        }

        var code = GrpcStatusCode.Ok;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var request = await ReadAsync(ctx, parser).ConfigureAwait(false);
            var reply = await handle(request, ctx.RequestAborted).ConfigureAwait(false);
            await GrpcWire.WriteUnaryResponseAsync(ctx.Response, reply.ToByteArray(), GrpcWire.WantsGzipResponse(ctx.Request), ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            code = Answer(ctx, method, e);
        }
        finally
        {
            Count(method, code);
            RcaMetrics.GrpcDurationMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("method", method));
        }
    }

    /// <summary>A gRPC method only answers gRPC: anything else gets 415 and a line saying how to call it.</summary>
    private static async Task<bool> AcceptsAsync(HttpContext ctx)
    {
        if (!GrpcWire.IsGrpcRequest(ctx.Request))
        {
            ctx.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            await ctx.Response.WriteAsync("gRPC method: send Content-Type application/grpc over HTTP/2 to the gRPC port (see protos/autopilot/rca/v1/rca.proto)\n", ctx.RequestAborted).ConfigureAwait(false);
            return false;
        }

        // The frame header announces the message size and ReadUnaryRequestAsync refuses it past the cap
        // with a gRPC status; Kestrel's own body limit would only reset the stream.
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }

        return true;
    }

    private static async Task<TRequest> ReadAsync<TRequest>(HttpContext ctx, MessageParser<TRequest> parser)
        where TRequest : IMessage<TRequest>
    {
        byte[] bytes;
        try
        {
            bytes = await GrpcWire.ReadUnaryRequestAsync(ctx.Request, MaxRequestBytes, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, e.Message);
        }

        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"the request is not a valid {parser.ParseFrom(ByteString.Empty).Descriptor.FullName}: {e.Message}");
        }
    }

    /// <summary>Answers a call that threw with the status its exception stands for; returns that status.</summary>
    private GrpcStatusCode Answer(HttpContext ctx, string method, Exception e)
    {
        switch (e)
        {
            case GrpcException grpc:
                GrpcWire.WriteError(ctx.Response, grpc.Status);
                return grpc.Status.Code;
            case OperationCanceledException when ctx.RequestAborted.IsCancellationRequested:
                // The client cancelled or went away: there is no one to answer.
                return GrpcStatusCode.Cancelled;
            case EngineStoreException store:
                // The engine store (incidents, findings, a watch's snapshot) could not be read.
                GrpcWire.WriteError(ctx.Response, new RpcStatus(GrpcStatusCode.Unavailable, store.Message, TimeSpan.FromSeconds(5)));
                return GrpcStatusCode.Unavailable;
            default:
                return Fail(ctx, method, e);
        }
    }

    private GrpcStatusCode Fail(HttpContext ctx, string method, Exception e)
    {
        RcaLog.GrpcCallFailed(logger, method, e);
        GrpcWire.WriteError(ctx.Response, new RpcStatus(GrpcStatusCode.Internal, $"{method} failed: {e.GetType().Name}: {e.Message}"));
        return GrpcStatusCode.Internal;
    }

    private static void Count(string method, GrpcStatusCode code) =>
        RcaMetrics.GrpcCalls.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("code", StatusName(code)));

    private static string StatusName(GrpcStatusCode code) => code switch
    {
        GrpcStatusCode.Ok => "OK",
        GrpcStatusCode.Cancelled => "CANCELLED",
        GrpcStatusCode.InvalidArgument => "INVALID_ARGUMENT",
        GrpcStatusCode.NotFound => "NOT_FOUND",
        GrpcStatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        GrpcStatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        GrpcStatusCode.Unimplemented => "UNIMPLEMENTED",
        GrpcStatusCode.Internal => "INTERNAL",
        GrpcStatusCode.Unavailable => "UNAVAILABLE",
        _ => code.ToString().ToUpperInvariant(),
    };
}
