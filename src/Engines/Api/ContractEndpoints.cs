using Autopilot.Engines.Contracts;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Autopilot.Engines.Api;

/// <summary>
/// <c>GET /api/contracts</c>: the data contracts in force (and the files rejected when they were loaded). <c>POST /-/reload</c>: reads the data contracts' directory again (<see cref="ContractCatalog.Reload"/>), as Prometheus
/// reloads its rule files at the same path; <c>autopilot serve</c> also reloads on SIGHUP (<see cref="Reload(ContractCatalog, Func{ConfigChange}?, ILogger)"/>). 200 with
/// the contracts now in force; 400 naming every bad file and key when anything is wrong, the contracts in force unchanged.
/// </summary>
public static partial class ContractEndpoints
{
    /// <summary>
    /// Maps <c>GET /api/contracts</c> and <c>POST /-/reload</c>; <paramref name="config"/> reads the server's configuration
    /// again and says which keys changed since start (null: nothing to compare, as for a server built in code). Those
    /// keys are not applied; the answer (<c>restartRequired</c>, <c>configErrors</c>) and the log name them.
    /// </summary>
    public static IEndpointRouteBuilder MapContractReload(this IEndpointRouteBuilder app, ContractCatalog catalog, ILogger logger, Func<ConfigChange>? config = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(logger);
        app.MapGet("/api/contracts", () =>
        {
            var set = catalog.Current;
            var body = new
            {
                directory = catalog.Directory,
                reloads = catalog.Reloads,
                contracts = set.Contracts.Select(ContractView.Of).ToList(),
                errors = set.Errors,
            };
            return Results.Json(body, EngineJson.Options);
        });
        app.MapPost("/-/reload", () =>
        {
            var (reload, change) = Reload(catalog, config, logger);
            var body = new
            {
                applied = reload.Applied,
                contracts = reload.Contracts,
                errors = reload.Errors,
                configApplied = change?.Applied ?? [],
                restartRequired = change?.RestartRequired ?? [],
                configErrors = change?.Errors ?? [],
            };
            return Results.Json(body, EngineJson.Options, statusCode: reload.Applied ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest);
        });
        return app;
    }

    /// <summary>
    /// What <c>POST /-/reload</c> and SIGHUP do: reloads the contracts (<see cref="Reload(ContractCatalog, ILogger)"/>), then
    /// reads the configuration again through <paramref name="config"/> (<see cref="CheckConfig"/>; null: nothing to compare).
    /// </summary>
    public static (ContractReload Contracts, ConfigChange? Config) Reload(ContractCatalog catalog, Func<ConfigChange>? config, ILogger logger) =>
        (Reload(catalog, logger), CheckConfig(config, logger));

    /// <summary>Reloads the contracts, counts and logs the outcome (each error on a line of its own).</summary>
    private static ContractReload Reload(ContractCatalog catalog, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(logger);
        var reload = catalog.Reload();
        EngineMetrics.ContractReloads.Add(1, new KeyValuePair<string, object?>("outcome", reload.Applied ? "applied" : "refused"));
        if (reload.Applied)
        {
            LogReloaded(logger, reload.Contracts, catalog.Directory);
        }
        else
        {
            LogRefused(logger, reload.Errors.Count, reload.Contracts);
            foreach (var error in reload.Errors)
            {
                LogContractError(logger, error.ToString());
            }
        }

        return reload;
    }

    /// <summary>
    /// Reads the configuration again through <paramref name="check"/> (null: nothing to compare), which applies what a reload
    /// can (the threshold rules), and logs what it applied and a warning naming the keys that changed since start and need a
    /// restart, or why the configuration no longer loads.
    /// </summary>
    private static ConfigChange? CheckConfig(Func<ConfigChange>? check, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(logger);
        if (check is null)
        {
            return null;
        }

        ConfigChange change;
        try
        {
            change = check();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            // Never a failed reload (or, on SIGHUP, a crash) over a file that could not be read.
            change = new ConfigChange([], [], [$"the configuration could not be read again: {e.Message}"]);
        }

        if (change.Applied.Count > 0)
        {
            LogConfigApplied(logger, change.Applied);
        }

        if (change.RestartRequired.Count > 0)
        {
            LogRestartRequired(logger, change.RestartRequired);
        }

        foreach (var error in change.Errors)
        {
            LogConfigError(logger, error);
        }

        return change;
    }

    /// <summary>Logs what the contracts' first load found: how many are in force and each file that was skipped.</summary>
    public static void LogLoaded(ContractCatalog catalog, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(logger);
        if (catalog.Directory is null)
        {
            return;
        }

        var set = catalog.Current;
        LogStartLoaded(logger, set.Contracts.Count, catalog.Directory, set.Errors.Count);
        foreach (var error in set.Errors)
        {
            LogContractError(logger, error.ToString());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "data contracts reloaded: {Contracts} in force from {Directory}")]
    private static partial void LogReloaded(ILogger logger, int contracts, string? directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "data contracts not reloaded ({Errors} error(s)); the {Contracts} in force stay")]
    private static partial void LogRefused(ILogger logger, int errors, int contracts);

    [LoggerMessage(Level = LogLevel.Information, Message = "data contracts: {Contracts} in force from {Directory}, {Errors} file(s) or key(s) rejected")]
    private static partial void LogStartLoaded(ILogger logger, int contracts, string directory, int errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "data contract error: {Error}")]
    private static partial void LogContractError(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "configuration reloaded: {Keys}")]
    private static partial void LogConfigApplied(ILogger logger, IReadOnlyList<string> keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration changed since start, not applied by a reload (only data contracts and threshold rules are; restart for these): {Keys}")]
    private static partial void LogRestartRequired(ILogger logger, IReadOnlyList<string> keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "configuration no longer loads (the one in force stays): {Error}")]
    private static partial void LogConfigError(ILogger logger, string error);
}
