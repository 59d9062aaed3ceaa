using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Autopilot.Rca.Graph;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Autopilot.Rca.Api;

/// <summary>
/// <c>GET /api/graph?urn=&amp;depth=&amp;at=&amp;limit=</c>: the neighbourhood of an asset (nodes within <c>depth</c>
/// hops, default 2, at most 5; the edges among them with their stats; the changes of those nodes up to <c>at</c>) as
/// the graph stood at <c>at</c> (RFC 3339 or Unix milliseconds; default now). Without <c>urn</c>: the whole graph,
/// the first <c>limit</c> nodes by URN (default 1000, at most 10,000). 400 names a bad parameter, 404 an unknown URN.
/// </summary>
public static class GraphEndpoints
{
    public const int DefaultDepth = 2;
    public const int MaxDepth = 5;

    public static IEndpointRouteBuilder MapGraph(this IEndpointRouteBuilder app, AssetGraph graph, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(graph);
        time ??= TimeProvider.System;
        app.MapGet("/api/graph", (string? urn, string? depth, string? at, string? limit) =>
        {
            if (!QueryParameters.TryInt(depth, "depth", DefaultDepth, 0, MaxDepth, out var d, out var error)
                || !QueryParameters.TryLimit(limit, out var l, out error)
                || !QueryParameters.TryTime(at, "at", out var asOf, out error))
            {
                return Results.Json(new { code = 400, message = error }, EngineJson.Options, statusCode: StatusCodes.Status400BadRequest);
            }

            var reportedAt = asOf ?? (time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
            if (string.IsNullOrEmpty(urn))
            {
                var overview = graph.Overview(l, asOf, out var truncated);
                return Results.Json(new GraphResponse(null, null, reportedAt, truncated, overview.Nodes, overview.Edges, overview.Changes), EngineJson.Options);
            }

            if (!graph.Contains(urn))
            {
                return Results.Json(new { code = 404, message = $"no asset '{urn}' in the graph" }, EngineJson.Options, statusCode: StatusCodes.Status404NotFound);
            }

            var view = graph.Neighbourhood(urn, d, asOf);
            return Results.Json(new GraphResponse(urn, d, reportedAt, false, view.Nodes, view.Edges, view.Changes), EngineJson.Options);
        });
        return app;
    }

    /// <summary>The body of <c>GET /api/graph</c>.</summary>
    private sealed record GraphResponse(
        string? Urn,
        int? Depth,
        long AtUnixNano,
        bool Truncated,
        IReadOnlyList<GraphNode> Nodes,
        IReadOnlyList<GraphEdge> Edges,
        IReadOnlyList<ChangeEvent> Changes);
}
