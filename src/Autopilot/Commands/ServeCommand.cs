using System.CommandLine;
using System.Globalization;
using Autopilot.Engines.State;
using Autopilot.Host.Configuration;
using Autopilot.Host.Hosting;
using Autopilot.Rca.Graph;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot serve</c>: runs ingest, engines, RCA and the API in one process. Configuration: built-in
/// defaults, then the file (<c>--config</c>, <c>AUTOPILOT_CONFIG</c> or <c>./autopilot.yaml</c>), then
/// <c>AUTOPILOT_…</c> variables, then these flags; each later one wins.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var config = new Option<string?>("--config") { Description = "Configuration file (YAML or JSON). Default: AUTOPILOT_CONFIG, else ./autopilot.yaml when present." };
        var grpcPort = new Option<int?>("--grpc-port") { Description = $"gRPC port for OTLP/gRPC and the RCA service (default {defaults.GrpcPort}). Key grpcPort." };
        var httpPort = new Option<int?>("--http-port") { Description = $"HTTP port for OTLP/HTTP, OpenLineage, remote write, the API and the dashboard (default {defaults.HttpPort}). Key httpPort." };
        var bind = new Option<string?>("--bind") { Description = $"Address both listeners bind to (default {defaults.BindAddress}). Key bindAddress." };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Directory for the write-ahead log and state (default {defaults.DataDirectory}). Key dataDirectory." };
        var maxRequestBytes = new Option<string?>("--max-request-bytes") { Description = $"Largest request body accepted, before and after decompression (default {defaults.Ingest.MaxRequestBytes}). Key ingest.maxRequestBytes." };
        var authTokens = new Option<string[]>("--auth-token") { Description = "Bearer token valid for everything (admin role), repeatable. Also AUTOPILOT_AUTH_TOKENS, comma-separated." };
        var readTokens = new Option<string[]>("--read-token") { Description = "Bearer token for the read role (API GETs, dashboard, /metrics), repeatable. Also AUTOPILOT_READ_TOKENS." };
        var ingestTokens = new Option<string[]>("--ingest-token") { Description = "Bearer token for the ingest role (OTLP, OpenLineage, remote write), repeatable. Also AUTOPILOT_INGEST_TOKENS." };
        var tlsCert = new Option<string?>("--tls-cert") { Description = "Certificate for both listeners: PEM (with --tls-key) or PKCS#12. Key tls.certFile." };
        var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert. Key tls.keyFile." };
        var logFormat = new Option<string?>("--log-format") { Description = "auto (text on a terminal, JSON lines otherwise), json or text. Key logging.format." };
        var logLevel = new Option<string?>("--log-level") { Description = "trace, debug, information (default), warning, error, critical or none. Key logging.level." };
        var eventsFile = new Option<string?>("--events-file") { Description = "Append findings and incidents to this file as CloudEvents JSON lines. Key events.file." };
        var eventsWebhook = new Option<string?>("--events-webhook") { Description = "POST findings and incidents to this URL as CloudEvents batches. Key events.webhook." };
        var postgres = new Option<string?>("--postgres") { Description = "Keep engine state (snapshots, findings, incidents) and the asset graph in this PostgreSQL database (Npgsql connection string) instead of SQLite. Also AUTOPILOT_POSTGRES. Key postgres." };
        var shards = new Option<int?>("--shards") { Description = $"Engine shards (parallel partitions by URN) (default {defaults.Engines.Shards}). Key engines.shards." };
        var contracts = new Option<string?>("--contracts") { Description = "Directory of data contracts (YAML) checked by the contract engine. Key engines.contract.directory." };
        var rules = new Option<string[]>("--rule") { Description = "Threshold rule, repeatable: 'p99 > 1.5s for 60s' or 'memory.utilization > 90% for 120s @ urn:autopilot:service:prod:*'. Replaces engines.anomaly.rules." };
        var slos = new Option<string[]>("--slo") { Description = "SLO, repeatable: '<urn or pattern>=<objective>', e.g. 'urn:autopilot:service:prod:checkout=0.995'. Replaces engines.anomaly.slos." };
        var graphIdle = new Option<string?>("--graph-edge-idle") { Description = $"Asset graph: a call/produce/consume/read/write edge not seen for this long (event time) closes (default {defaults.Graph.EdgeIdleTimeout}). Key graph.edgeIdleTimeout." };
        var graphRetention = new Option<string?>("--graph-retention") { Description = $"Asset graph: history that ended longer ago than this is deleted (default {defaults.Graph.Retention}). Key graph.retention." };

        var noEngines = new Option<bool>("--no-engines") { Description = "Ingest only (decode, redaction, write-ahead log, asset inventory), without the engines and the asset graph: for measuring the ingest path. What is ingested meanwhile never reaches them. Key runEngines (false)." };
        var llmProvider = new Option<string?>("--llm-provider") { Description = "Explainer model for RCA: rules (default: no LLM), anthropic (needs ANTHROPIC_API_KEY) or openai (any OpenAI-compatible server, e.g. Ollama). Also AUTOPILOT_LLM_PROVIDER." };
        llmProvider.AcceptOnlyFromAmong("rules", "anthropic", "openai");
        var llmBaseUrl = new Option<string?>("--llm-base-url") { Description = "Base URL of the OpenAI-compatible server (e.g. http://127.0.0.1:11434 for Ollama) or of another Anthropic endpoint. Also AUTOPILOT_LLM_BASE_URL." };
        llmBaseUrl.Validators.Add(r => OnCall.HttpAddress.Validate(r, "--llm-base-url"));
        var llmModel = new Option<string?>("--llm-model") { Description = "Model id (default claude-sonnet-4-5 for anthropic, llama3.1 for openai). Also AUTOPILOT_LLM_MODEL." };
        var llmTimeout = new Option<double?>("--llm-timeout") { Description = "Seconds the LLM may take before the rules explainer answers instead (default 20). Also AUTOPILOT_LLM_TIMEOUT." };

        var command = new Command("serve", "Run the Autopilot server (embedded defaults: SQLite under ./data, loopback, no auth).")
        {
            config, grpcPort, httpPort, bind, dataDir, maxRequestBytes, authTokens, readTokens, ingestTokens, tlsCert, tlsKey, logFormat, logLevel,
            eventsFile, eventsWebhook, postgres, shards, contracts, rules, slos, graphIdle, graphRetention, noEngines, llmProvider, llmBaseUrl, llmModel, llmTimeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var problems = new List<ConfigProblem>();
            var flags = new ConfigOverlay();
            void Scalar<T>(Option<T> option, string key)
            {
                if (parse.GetResult(option) is not null && parse.GetValue(option) is { } value)
                {
                    flags.Set(key, Convert.ToString(value, CultureInfo.InvariantCulture), option.Name);
                }
            }

            Scalar(grpcPort, "grpcPort");
            Scalar(httpPort, "httpPort");
            Scalar(bind, "bindAddress");
            Scalar(dataDir, "dataDirectory");
            Scalar(maxRequestBytes, "ingest.maxRequestBytes");
            Scalar(tlsCert, "tls.certFile");
            Scalar(tlsKey, "tls.keyFile");
            Scalar(logFormat, "logging.format");
            Scalar(logLevel, "logging.level");
            Scalar(eventsFile, "events.file");
            Scalar(eventsWebhook, "events.webhook");
            Scalar(postgres, "postgres");
            Scalar(shards, "engines.shards");
            Scalar(contracts, "engines.contract.directory");
            Scalar(graphIdle, "graph.edgeIdleTimeout");
            Scalar(graphRetention, "graph.retention");
            if (parse.GetValue(noEngines))
            {
                flags.Set("runEngines", "false", noEngines.Name);
            }
            foreach (var (option, role) in new[] { (authTokens, "admin"), (readTokens, "read"), (ingestTokens, "ingest") })
            {
                foreach (var token in parse.GetValue(option) ?? [])
                {
                    flags.Append("auth.tokens", EnvironmentConfig.Token(token, role, option.Name));
                }
            }

            if (parse.GetValue(rules) is { Length: > 0 } ruleValues)
            {
                var list = new ConfigList(rules.Name);
                for (var i = 0; i < ruleValues.Length; i++)
                {
                    var rule = ruleValues[i];
                    var at = rule.LastIndexOf(" @ ", StringComparison.Ordinal);
                    list.Items.Add(Section(rules.Name, ("name", $"rule-{i + 1}"), ("expression", at < 0 ? rule : rule[..at]), ("urn", at < 0 ? "*" : rule[(at + 3)..].Trim())));
                }

                flags.Set("engines.anomaly.rules", list);
            }

            if (parse.GetValue(slos) is { Length: > 0 } sloValues)
            {
                var list = new ConfigList(slos.Name);
                foreach (var slo in sloValues)
                {
                    var eq = slo.LastIndexOf('=');
                    if (eq <= 0 || !double.TryParse(slo[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                    {
                        problems.Add(new ConfigProblem(string.Empty, $"--slo '{slo}' must be '<urn or pattern>=<objective>', e.g. 'urn:autopilot:service:prod:checkout=0.995'", null));
                        continue;
                    }

                    list.Items.Add(Section(slos.Name, ("name", slo[..eq]), ("urn", slo[..eq]), ("objective", slo[(eq + 1)..])));
                }

                flags.Set("engines.anomaly.slos", list);
            }

            var environment = Environment.GetEnvironmentVariables();
            var file = ConfigLoader.FindFile(parse.GetValue(config), environment, Directory.GetCurrentDirectory(), problems);
            var (options, all) = ConfigLoader.Load(file, environment, flags, problems);
            if (all.Count > 0)
            {
                foreach (var problem in all)
                {
                    await Console.Error.WriteLineAsync($"autopilot serve: {problem}").ConfigureAwait(false);
                }

                return 2;
            }

            // Taken before the LLM flags below change the options, as a reload reads the same sources again.
            options.Source = new ConfigSource(file, environment, flags, options);

            AutopilotServer server;
            try
            {
                var llm = options.Rca.Llm;
                if (parse.GetValue(llmProvider) is { } provider)
                {
                    llm.Provider = Autopilot.Rca.LlmOptions.ParseProvider(provider);
                }

                if (parse.GetValue(llmBaseUrl) is { } baseUrl)
                {
                    llm.BaseUrl = Autopilot.Rca.LlmOptions.ParseUrl(baseUrl, "--llm-base-url");
                }

                if (parse.GetValue(llmModel) is { } model)
                {
                    llm.Model = model;
                }

                if (parse.GetValue(llmTimeout) is { } seconds)
                {
                    llm.Timeout = seconds is > 0 and <= 600 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException($"--llm-timeout must be between 0 and 600 seconds, got {seconds}.");
                }

                // --llm-provider rules keeps the LLM off even when the environment names one.
                if (parse.GetValue(llmProvider) != "rules")
                {
                    llm.FromEnvironment();
                }

                server = await AutopilotServer.CreateAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                foreach (var line in e.Message.Split('\n'))
                {
                    await Console.Error.WriteLineAsync($"autopilot serve: {line}").ConfigureAwait(false);
                }

                return 2;
            }
            catch (EngineStoreException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (GraphStoreException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (IOException e)
            {
                await Console.Error.WriteLineAsync($"autopilot serve: cannot open the data directory '{options.DataDirectory}': {e.Message}").ConfigureAwait(false);
                return 1;
            }

            try
            {
                await server.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (ReportedStartupFailureFilter.IsBindFailure(e))
            {
                // Kestrel wraps the socket's failure (in use, permission denied) in an IOException naming the address; nothing
                // was accepted yet. Recognised by the inner exception's type, or failing that by Kestrel's wording.
                await Console.Error.WriteLineAsync($"autopilot serve: {e.Message.TrimEnd('.')}; choose other ports with grpcPort / httpPort (--grpc-port / --http-port)").ConfigureAwait(false);
                return 1;
            }

            return 0;
        });
        return command;
    }

    private static ConfigMap Section(string source, params (string Key, string Value)[] entries)
    {
        var map = new ConfigMap(source);
        foreach (var (key, value) in entries)
        {
            map.Entries.Add(new(key, new ConfigScalar(value, source)));
        }

        return map;
    }
}
