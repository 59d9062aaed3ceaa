using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Autopilot.Engines.Api;

/// <summary>
/// <c>GET /api/findings?from&amp;to&amp;urn&amp;engine&amp;limit&amp;after</c>, <c>GET /api/incidents?from&amp;to&amp;status&amp;limit&amp;items&amp;after</c>,
/// <c>GET /api/incidents/{id}?items</c>, <c>GET /api/slo?name</c>. Times are RFC 3339 (<c>2026-11-22T10:00:00Z</c>) or Unix milliseconds;
/// a full page of a list carries <c>next</c>, which <c>after</c> continues from (<see cref="PageToken"/>).
/// </summary>
public static class EngineEndpoints
{
    /// <summary>The largest <c>items</c> an incident list takes (finding ids and timeline entries per incident).</summary>
    public const int MaxItems = 100_000;

    public static IEndpointRouteBuilder MapEngines(this IEndpointRouteBuilder app, IEngineStore store, SloStatusBoard? slo = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(store);
        app.MapGet("/api/findings", (string? from, string? to, string? urn, string? engine, string? limit, string? after) =>
        {
            if (!QueryParameters.TryWindow(from, to, out var f, out var t, out var error)
                || !QueryParameters.TryLimit(limit, out var l, out error))
            {
                return BadRequest(error);
            }

            var filters = string.Create(CultureInfo.InvariantCulture, $"findings|{f}|{t}|{urn}|{engine}");
            FindingCursor? cursor = null;
            if (after is not null)
            {
                if (!PageToken.TryRead(after, filters, "from, to, urn and engine", out var time, out var id, out error))
                {
                    return BadRequest(error);
                }

                cursor = new FindingCursor(time, id);
            }

            var findings = store.QueryFindings(new FindingQuery(f, t, urn, engine, l, cursor));
            var next = findings.Count == l ? PageToken.Encode(findings[^1].TimeUnixNano, findings[^1].Id, filters) : null;
            return Results.Json(new { findings, next }, EngineJson.Options);
        });
        app.MapGet("/api/incidents", (string? from, string? to, string? status, string? limit, string? items, string? after) =>
        {
            if (!QueryParameters.TryWindow(from, to, out var f, out var t, out var error)
                || !QueryParameters.TryLimit(limit, out var l, out error)
                || !QueryParameters.TryInt(items, "items", -1, 0, MaxItems, out var n, out error))
            {
                return BadRequest(error);
            }

            IncidentStatus? s = null;
            if (status is not null)
            {
                if (!Enum.TryParse<IncidentStatus>(status, ignoreCase: true, out var parsed) || int.TryParse(status, out _))
                {
                    return BadRequest($"status '{status}' is not one of open, acknowledged, resolved");
                }

                s = parsed;
            }

            var filters = IncidentCursor.Filters(f, t, s);
            IncidentCursor? cursor = null;
            if (after is not null)
            {
                if (!PageToken.TryRead(after, filters, "from, to and status", out var updated, out var id, out error))
                {
                    return BadRequest(error);
                }

                cursor = new IncidentCursor(updated, id);
            }

            var incidents = store.QueryIncidents(new IncidentQuery(f, t, s, l, cursor));
            var next = incidents.Count == l ? PageToken.Encode(incidents[^1].UpdatedUnixNano, incidents[^1].Id, filters) : null;
            return n < 0
                ? Results.Json(new { incidents, next }, EngineJson.Options)
                : Results.Json(new { incidents = incidents.Select(i => Latest(i, n)).ToList(), next }, EngineJson.Options);
        });
        app.MapGet("/api/incidents/{id}", (string id, string? items) =>
        {
            if (!QueryParameters.TryInt(items, "items", -1, 0, MaxItems, out var n, out var error))
            {
                return BadRequest(error);
            }

            return store.GetIncident(id) is not { } incident
                ? Results.Json(new { code = 404, message = $"no incident '{id}'" }, EngineJson.Options, statusCode: StatusCodes.Status404NotFound)
                : n < 0 ? Results.Json(incident, EngineJson.Options) : Results.Json(Latest(incident, n), EngineJson.Options);
        });
        if (slo is not null)
        {
            // Where every configured SLO target stands (burn rates over 5m, 30m, 1h, 6h, 3d); name filters by SLO name or URN.
            app.MapGet("/api/slo", (string? name) => Results.Json(new { slos = slo.Snapshot(name) }, EngineJson.Options));
        }

        return app;
    }

    /// <summary>
    /// An incident with its latest <paramref name="items"/> finding ids (in the order they joined) and timeline entries
    /// (in time order), as its events carry it, and how many it has of each (<c>findingCount</c>, <c>timelineCount</c>).
    /// </summary>
    private static JsonNode Latest(Incident incident, int items)
    {
        var node = JsonSerializer.SerializeToNode(incident.WithLatest(items), EngineJson.Options)!;
        node["findingCount"] = incident.FindingIds.Count;
        node["timelineCount"] = incident.Timeline.Count;
        return node;
    }

    private static IResult BadRequest(string? message) =>
        Results.Json(new { code = 400, message }, EngineJson.Options, statusCode: StatusCodes.Status400BadRequest);
}
