using Autopilot.Engines.Events;
using Autopilot.Engines.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// <c>autopilot.rca.v1.RcaService</c> (<c>protos/autopilot/rca/v1/rca.proto</c>) on the gRPC listener:
/// <c>Explain</c>, <c>Analyze</c>, <c>ListIncidents</c> and the server-streaming <c>WatchIncidents</c>. Bearer
/// tokens are checked before these routes by the host's <c>BearerTokenAuth</c>, and unknown methods answer
/// UNIMPLEMENTED from the host's fallback, as for the OTLP services.
/// </summary>
public static class RcaGrpcEndpoints
{
    /// <summary>The service's full name, the first part of every method path.</summary>
    public const string ServiceName = "autopilot.rca.v1.RcaService";

    /// <param name="app">The routes.</param>
    /// <param name="analyzer">Answers Explain and Analyze.</param>
    /// <param name="store">Incidents for ListIncidents and the watch snapshot.</param>
    /// <param name="live">Live incident and finding events for WatchIncidents.</param>
    /// <param name="stopping">Ends every watch (UNAVAILABLE) when the server shuts down, so shutdown does not wait for watchers.</param>
    public static IEndpointRouteBuilder MapRcaGrpc(this IEndpointRouteBuilder app, RcaAnalyzer analyzer, IEngineStore store, EventBroadcaster live, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(analyzer);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(live);
        var loggers = app.ServiceProvider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var service = new RcaGrpcService(analyzer, store, live, loggers.CreateLogger("Autopilot.Rca.Grpc"), stopping);
        app.MapPost($"/{ServiceName}/Explain", service.ExplainAsync);
        app.MapPost($"/{ServiceName}/Analyze", service.AnalyzeAsync);
        app.MapPost($"/{ServiceName}/ListIncidents", service.ListIncidentsAsync);
        app.MapPost($"/{ServiceName}/WatchIncidents", service.WatchIncidentsAsync);
        return app;
    }
}
