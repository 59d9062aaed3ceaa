using System.CommandLine;
using Autopilot.Engines.State;
using Autopilot.Engines.Anomaly;
using Autopilot.Host.Hosting;

namespace Autopilot.Host.Commands;

/// <summary><c>autopilot serve</c>: runs ingest, engines, RCA and the API in one process.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var grpcPort = new Option<int>("--grpc-port") { Description = "gRPC (h2c) port for OTLP/gRPC and the RCA service.", DefaultValueFactory = _ => defaults.GrpcPort };
        var httpPort = new Option<int>("--http-port") { Description = "HTTP port for OTLP/HTTP, OpenLineage, remote write, the API and the dashboard.", DefaultValueFactory = _ => defaults.HttpPort };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory for the write-ahead log and state.", DefaultValueFactory = _ => defaults.DataDirectory };
        var maxRequestBytes = new Option<int>("--max-request-bytes") { Description = "Largest request body accepted (before and after decompression).", DefaultValueFactory = _ => defaults.Ingest.MaxRequestBytes };
        var authTokens = new Option<string[]>("--auth-token") { Description = "Bearer token required on both ports (repeatable). Also AUTOPILOT_AUTH_TOKENS, comma-separated.", AllowMultipleArgumentsPerToken = false };

        var eventsFile = new Option<string?>("--events-file") { Description = "Append findings and incidents to this file as CloudEvents JSON lines." };
        var eventsWebhook = new Option<Uri?>("--events-webhook") { Description = "POST findings and incidents to this URL as CloudEvents batches." };
        var postgres = new Option<string?>("--postgres") { Description = "Keep engine state (snapshots, findings, incidents) in this PostgreSQL database (Npgsql connection string) instead of SQLite. Also AUTOPILOT_POSTGRES." };
        var shards = new Option<int>("--shards") { Description = "Engine shards (parallel partitions by URN).", DefaultValueFactory = _ => defaults.Engines.Shards };
        var contracts = new Option<string?>("--contracts") { Description = "Directory of data contracts (YAML) checked by the contract engine." };
        var rules = new Option<string[]>("--rule") { Description = "Threshold rule, repeatable: 'p99 > 1.5s for 60s' or 'memory.utilization > 90% for 120s @ urn:autopilot:service:prod:*'." };
        var slos = new Option<string[]>("--slo") { Description = "SLO, repeatable: '<urn or pattern>=<objective>', e.g. 'urn:autopilot:service:prod:checkout=0.995'." };
        var noEngines = new Option<bool>("--no-engines") { Description = "Ingest only (decode, write-ahead log, asset inventory), without the engines: for measuring the ingest path. What is ingested meanwhile never reaches the engines." };

        var command = new Command("serve", "Run the Autopilot server on embedded defaults.") { grpcPort, httpPort, dataDir, maxRequestBytes, authTokens, eventsFile, eventsWebhook, postgres, shards, contracts, rules, slos, noEngines };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServerOptions
            {
                GrpcPort = parse.GetValue(grpcPort),
                HttpPort = parse.GetValue(httpPort),
                DataDirectory = parse.GetValue(dataDir)!,
                EventsFile = parse.GetValue(eventsFile),
                EventsWebhook = parse.GetValue(eventsWebhook),
                EngineStoreConnectionString = parse.GetValue(postgres) ?? NullIfEmpty(Environment.GetEnvironmentVariable("AUTOPILOT_POSTGRES")),
                RunEngines = !parse.GetValue(noEngines),
            };
            options.Engines.Shards = parse.GetValue(shards);
            options.Engines.Contract.Directory = parse.GetValue(contracts);
            var ruleNumber = 0;
            foreach (var rule in parse.GetValue(rules) ?? [])
            {
                var at = rule.LastIndexOf(" @ ", StringComparison.Ordinal);
                options.Engines.Anomaly.Rules.Add(new ThresholdRuleOptions
                {
                    Name = $"rule-{++ruleNumber}",
                    Expression = at < 0 ? rule : rule[..at],
                    Urn = at < 0 ? "*" : rule[(at + 3)..].Trim(),
                });
            }

            foreach (var slo in parse.GetValue(slos) ?? [])
            {
                var eq = slo.LastIndexOf('=');
                if (eq <= 0 || !double.TryParse(slo[(eq + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var objective))
                {
                    await Console.Error.WriteLineAsync($"autopilot serve: --slo '{slo}' must be '<urn or pattern>=<objective>', e.g. 'urn:autopilot:service:prod:checkout=0.995'").ConfigureAwait(false);
                    return 2;
                }

                options.Engines.Anomaly.Slos.Add(new SloOptions { Name = slo[..eq], Urn = slo[..eq], Objective = objective });
            }
            options.Ingest.MaxRequestBytes = parse.GetValue(maxRequestBytes);
            foreach (var token in (parse.GetValue(authTokens) ?? [])
                .Concat((Environment.GetEnvironmentVariable("AUTOPILOT_AUTH_TOKENS") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                options.Ingest.BearerTokens.Add(token);
            }

            AutopilotServer server;
            try
            {
                server = await AutopilotServer.CreateAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: {e.Message}").ConfigureAwait(false);
                return 2;
            }
            catch (EngineStoreException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: cannot open the data directory '{options.DataDirectory}': {e.Message}").ConfigureAwait(false);
                return 1;
            }

            await server.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
