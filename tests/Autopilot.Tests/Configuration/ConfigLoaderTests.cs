using System.Collections;
using System.Net;
using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;
using Autopilot.Host.Configuration;
using Autopilot.Host.Hosting;
using Autopilot.Host.Telemetry;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Ingest.Receivers;
using Microsoft.Extensions.Logging;

namespace Autopilot.Host.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private static readonly Hashtable NoEnvironment = [];

    [Fact]
    public void Load_YamlFile_BindsValuesSectionsListsAndMaps()
    {
        using var dir = new TempDirectory();
        var tokenFile = Path.Combine(dir.Path, "read.token");
        File.WriteAllText(tokenFile, "r3ad-token\n");
        var file = Write(dir, "autopilot.yaml", $"""
            grpcPort: 5317
            bind_address: 0.0.0.0
            shutdownTimeout: 1m30s
            ingest:
              maxRequestBytes: 8MiB
              walFsync: false
              urnAliases:
                "urn:autopilot:service:prod:a2": "urn:autopilot:service:prod:a"
            auth:
              tokens:
                - {"{"} file: {tokenFile}, role: read {"}"}
                - {"{"} token: s3cret, role: admin {"}"}
            engines:
              shards: 2
              freshness:
                slas:
                  "urn:autopilot:dataset:pg:public.orders": 2h
              dataQuality:
                requiredAttributes:
                  service: [http.route, user.id]
              anomaly:
                rules:
                  - name: p99
                    expression: "p99 > 1.5s for 60s"
                    severity: critical
                slos:
                  - {"{"} name: checkout, urn: "urn:autopilot:service:prod:checkout", objective: 0.995 {"}"}
                metrics:
                  seriesAttributes: [state]
                  detector:
                    mode: resonance
                    resonanceStep: 7
            redaction:
              disable: [email]
            telemetry:
              otlp:
                endpoint: http://127.0.0.1:4317
                protocol: http
            logging:
              format: json
              level: debug
            events:
              file: /tmp/events.jsonl
            """);

        var (options, problems) = ConfigLoader.Load(file, NoEnvironment, null);

        Assert.Empty(problems);
        Assert.Equal(5317, options.GrpcPort);
        Assert.Equal(IPAddress.Any, options.BindAddress);
        Assert.Equal(TimeSpan.FromSeconds(90), options.ShutdownTimeout);
        Assert.Equal(8 * 1024 * 1024, options.Ingest.MaxRequestBytes);
        Assert.False(options.Ingest.WalFsync);
        Assert.Equal("urn:autopilot:service:prod:a", options.Ingest.UrnAliases["urn:autopilot:service:prod:a2"]);
        Assert.Equal([("r3ad-token", AccessRole.Read), ("s3cret", AccessRole.Admin)], options.Auth.Resolve());
        Assert.Equal(2, options.Engines.Shards);
        Assert.Equal(TimeSpan.FromHours(2), options.Engines.Freshness.Slas["urn:autopilot:dataset:pg:public.orders"]);
        Assert.Equal(["http.route", "user.id"], options.Engines.DataQuality.RequiredAttributes["service"]);
        var rule = Assert.Single(options.Engines.Anomaly.Rules);
        Assert.Equal(("p99", "p99 > 1.5s for 60s", FindingSeverity.Critical), (rule.Name, rule.Expression, rule.Severity));
        Assert.Equal(0.995, Assert.Single(options.Engines.Anomaly.Slos).Objective);
        Assert.Equal(["state"], options.Engines.Anomaly.Metrics.SeriesAttributes);
        Assert.Equal((AnomalyDetectorMode.Resonance, 7), (options.Engines.Anomaly.Metrics.Detector.Mode, options.Engines.Anomaly.Metrics.Detector.ResonanceStep));
        Assert.Equal(AnomalyDetectorMode.Surprise, options.Engines.Anomaly.Latency.Detector.Mode);
        Assert.Equal(["email"], options.Redaction.Disable);
        Assert.Equal(new Uri("http://127.0.0.1:4317"), options.Telemetry.Otlp.Endpoint);
        Assert.Equal(TelemetryProtocol.Http, options.Telemetry.Otlp.Protocol);
        Assert.Equal((LogFormat.Json, LogLevel.Debug), (options.Logging.Format, options.Logging.Level));
        Assert.Equal("/tmp/events.jsonl", options.EventsFile);

        // What the file does not mention keeps its default.
        Assert.Equal(4318, options.HttpPort);
        Assert.Equal(512, options.Ingest.QueueCapacity);
        Assert.Equal(60, options.Engines.Anomaly.Latency.Detector.WarmupPoints);
    }

    [Fact]
    public void Load_UnknownKeys_NameThePathTheLineAndTheNearestKey()
    {
        using var dir = new TempDirectory();
        var file = Write(dir, "a.yaml", """
            ingest:
              maxRequestByte: 2048
            engines:
              freshnes:
                minObservations: 3
            colour: blue
            """);

        var (_, problems) = ConfigLoader.Load(file, NoEnvironment, null);

        Assert.Equal(
            [
                "ingest.maxRequestByte: unknown key; did you mean 'ingest.maxRequestBytes'? (a.yaml line 2)",
                "engines.freshnes: unknown key; did you mean 'engines.freshness'? (a.yaml line 4)",
            ],
            problems.Take(2).Select(p => p.ToString()));
        var colour = problems[2].ToString();
        Assert.StartsWith("colour: unknown key; valid keys: grpcPort, httpPort, bindAddress,", colour, StringComparison.Ordinal);
        Assert.EndsWith("(a.yaml line 6)", colour, StringComparison.Ordinal);
        Assert.Equal(3, problems.Count);
    }

    [Theory]
    [InlineData("grpcPort: lots", "grpcPort: 'lots' is not an integer (t.yaml line 1)")]
    [InlineData("grpcPort: 99999999999", "grpcPort: '99999999999' is not an integer between -2147483648 and 2147483647 (t.yaml line 1)")]
    [InlineData("ingest:\n  walFsync: maybe", "ingest.walFsync: 'maybe' is not true or false (t.yaml line 2)")]
    [InlineData("engines:\n  snapshotInterval: soon", "engines.snapshotInterval: 'soon' is not a duration such as 250ms, 10s, 5m, 1h30m or 2d (t.yaml line 2)")]
    [InlineData("ingest:\n  maxRequestBytes: 16 megs", "ingest.maxRequestBytes: '16 megs' is not a size in bytes such as 1048576, 64MiB or 1GiB (t.yaml line 2)")]
    [InlineData("logging:\n  format: xml", "logging.format: 'xml' is not one of auto, json, text (t.yaml line 2)")]
    [InlineData("bindAddress: localhost", "bindAddress: 'localhost' is not an IP address such as 127.0.0.1 or 0.0.0.0 (t.yaml line 1)")]
    [InlineData("ingest: 5", "ingest: expected a section (key: value lines), got a value '5' (t.yaml line 1)")]
    [InlineData("redaction:\n  disable: email", "redaction.disable: expected a list, got a value 'email' (t.yaml line 2)")]
    [InlineData("grpcPort: [1, 2]", "grpcPort: expected an integer, got a list (t.yaml line 1)")]
    [InlineData("engines:\n  anomaly:\n    metrics:\n      detector:\n        mode: htm", "engines.anomaly.metrics.detector.mode: 'htm' is not one of surprise, resonance (t.yaml line 5)")]
    [InlineData("auth:\n  tokens:\n    - { token: x, role: owner }", "auth.tokens[0].role: 'owner' is not one of ingest, read, admin (t.yaml line 3)")]
    public void Load_WrongType_NamesKeyValueAndExpectedType(string yaml, string expected)
    {
        var problems = Problems(yaml);

        Assert.Equal(expected, Assert.Single(problems).ToString());
    }

    [Theory]
    [InlineData("ingest:\n  maxRequestBytes: -1", "ingest.maxRequestBytes: must be at least 1024, got -1 (t.yaml line 2)")]
    [InlineData("engines:\n  shards: 0", "engines.shards: must be between 1 and 1024, got 0 (t.yaml line 2)")]
    [InlineData("engines:\n  incidentEventItems: -1", "engines.incidentEventItems: must be between 0 and 100000, got -1 (t.yaml line 2)")]
    [InlineData("engines:\n  retention: 0s", "engines.retention: must be positive and at most 36500 days, got 00:00:00 (t.yaml line 2)")]
    [InlineData("engines:\n  retention: 36501d", "engines.retention: must be positive and at most 36500 days, got 36501.00:00:00 (t.yaml line 2)")]
    [InlineData("events:\n  fileMaxMegabytes: -5", "events.fileMaxMegabytes: must be between 0 and 1000000, got -5 (t.yaml line 2)")]
    [InlineData("engines:\n  anomaly:\n    latency:\n      detector:\n        resonanceStep: 0", "engines.anomaly.latency.detector.resonanceStep: must be between 1 and 1000, got 0 (t.yaml line 5)")]
    [InlineData("engines:\n  anomaly:\n    metrics:\n      detector:\n        fireThreshold: 2", "engines.anomaly.metrics.detector.fireThreshold: must be in (0, 1], got 2 (t.yaml line 5)")]
    [InlineData("engines:\n  anomaly:\n    slos:\n      - { name: a, urn: 'urn:autopilot:service:prod:a', objective: 1.5 }", "engines.anomaly.slos[0].objective: must be in (0, 1), such as 0.999, got 1.5 (SLO 'a') (t.yaml line 4)")]
    [InlineData("postgres: ' '", "postgres: the engine store connection string is empty; leave it unset for the SQLite default (t.yaml line 1)")]
    [InlineData("tls:\n  certFile: /nonexistent/cert.pem\n  keyFile: /nonexistent/key.pem", "tls.certFile: the certificate file '/nonexistent/cert.pem' does not exist (t.yaml line 2)")]
    [InlineData("auth:\n  tokens:\n    - { file: /nonexistent/token, role: read }", "auth.tokens[0].file: cannot read the token file '/nonexistent/token': Could not find a part of the path '/nonexistent/token' (t.yaml line 3)")]
    [InlineData("redaction:\n  rules:\n    - { name: x, value: '(' }", "redaction.rules[0].value: '(' is not a valid regular expression: Invalid pattern '(' at offset 1. Not enough )'s (t.yaml line 3)")]
    [InlineData("telemetry:\n  otlp:\n    endpoint: ftp://x", "telemetry.otlp.endpoint: must be an http or https URL, got 'ftp://x/' (t.yaml line 3)")]
    public void Load_InvalidValue_NamesTheKeyPathAndWhereItWasSet(string yaml, string expected)
    {
        var problems = Problems(yaml);

        Assert.Equal(expected, Assert.Single(problems).ToString());
    }

    [Fact]
    public void Load_ProblemsInSeveralSections_ReportsEachOnItsOwnLine()
    {
        var problems = Problems("grpcPort: 70000\ningest:\n  queueCapacity: 0\nengines:\n  shards: -3\nlogging:\n  level: loud\nnope: 1");

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Path == "grpcPort");
        Assert.Contains(problems, p => p.Path == "ingest.queueCapacity");
        Assert.Contains(problems, p => p.Path == "engines.shards");
        Assert.Contains(problems, p => p.Path == "logging.level");
        Assert.Contains(problems, p => p.Path == "nope");
    }

    [Fact]
    public void Load_Precedence_FlagsOverEnvironmentOverFileOverDefaults()
    {
        using var dir = new TempDirectory();
        var file = Write(dir, "p.yaml", "grpcPort: 5000\nhttpPort: 5001\nengines:\n  shards: 3\n");
        var environment = new Hashtable { ["AUTOPILOT_GRPC_PORT"] = "6000", ["AUTOPILOT_ENGINES__SHARDS"] = "5" };
        var flags = new ConfigOverlay();
        flags.Set("grpcPort", "7000", "--grpc-port");

        var (fileOnly, _) = ConfigLoader.Load(file, NoEnvironment, null);
        var (withEnvironment, _) = ConfigLoader.Load(file, environment, null);
        var (withFlags, problems) = ConfigLoader.Load(file, environment, flags);

        Assert.Empty(problems);
        Assert.Equal((5000, 5001, 3), (fileOnly.GrpcPort, fileOnly.HttpPort, fileOnly.Engines.Shards));
        Assert.Equal((6000, 5001, 5), (withEnvironment.GrpcPort, withEnvironment.HttpPort, withEnvironment.Engines.Shards));
        Assert.Equal((7000, 5001, 5), (withFlags.GrpcPort, withFlags.HttpPort, withFlags.Engines.Shards));
        Assert.Equal(4317, new ServerOptions().GrpcPort);
    }

    [Fact]
    public void Load_EnvironmentVariables_SetNestedKeysListsAndTheFlatNames()
    {
        var environment = new Hashtable
        {
            ["AUTOPILOT_INGEST__MAX_REQUEST_BYTES"] = "2MiB",
            ["AUTOPILOT_AUTH__TOKENS__0__TOKEN"] = "ingest-me",
            ["AUTOPILOT_AUTH__TOKENS__0__ROLE"] = "ingest",
            ["AUTOPILOT_AUTH_TOKENS"] = "adm1, adm2",
            ["AUTOPILOT_READ_TOKENS"] = "rd",
            ["AUTOPILOT_POSTGRES"] = "Host=db;Password=pw",
            ["AUTOPILOT_REDACTION__DISABLE__0"] = "jwt",
            ["AUTOPILOT_SERVER"] = "http://elsewhere:4318", // read by the on-call commands, not a server key
            ["AUTOPILOT_TOKEN"] = "client-side",
            ["HOME"] = "/root",
        };

        var (options, problems) = ConfigLoader.Load(null, environment, null);

        Assert.Empty(problems);
        Assert.Equal(2 * 1024 * 1024, options.Ingest.MaxRequestBytes);
        Assert.Equal(
            [("ingest-me", AccessRole.Ingest), ("adm1", AccessRole.Admin), ("adm2", AccessRole.Admin), ("rd", AccessRole.Read)],
            options.Auth.Resolve());
        Assert.Equal("Host=db;Password=pw", options.EngineStoreConnectionString);
        Assert.Equal(["jwt"], options.Redaction.Disable);
    }

    [Fact]
    public void Load_UnknownStructuredVariable_IsAProblemNamingTheVariable()
    {
        var (_, problems) = ConfigLoader.Load(null, new Hashtable { ["AUTOPILOT_INGEST__QUEUE_CAPACTIY"] = "10" }, null);

        Assert.Equal("ingest.QUEUE_CAPACTIY: unknown key; did you mean 'ingest.queueCapacity'? (AUTOPILOT_INGEST__QUEUE_CAPACTIY)", Assert.Single(problems).ToString());
    }

    [Fact]
    public void Load_AppsettingsStyleJson_Binds()
    {
        using var dir = new TempDirectory();
        var file = Write(dir, "autopilot.json", """
            { "GrpcPort": 5400, "Ingest": { "MaxRequestBytes": 4096 }, "Engines": { "Anomaly": { "Slos": [ { "Name": "a", "Urn": "urn:autopilot:service:prod:a", "Objective": 0.99 } ] } } }
            """);

        var (options, problems) = ConfigLoader.Load(file, NoEnvironment, null);

        Assert.Empty(problems);
        Assert.Equal((5400, 4096), (options.GrpcPort, options.Ingest.MaxRequestBytes));
        Assert.Equal("a", Assert.Single(options.Engines.Anomaly.Slos).Name);
    }

    [Theory]
    [InlineData("grpcPort: 1\n  httpPort: 2", "t.yaml is not valid YAML at line 2")]
    [InlineData("grpcPort: 1\ngrpcPort: 2", "t.yaml is not valid YAML at line 2")]
    [InlineData("- a\n- b", "t.yaml must be a YAML mapping (key: value lines) at the top")]
    public void Load_MalformedFile_IsOneProblemNamingTheFile(string yaml, string expected)
    {
        var problem = Assert.Single(Problems(yaml));

        Assert.StartsWith(expected, problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FindFile_NamedFileMissing_IsAProblem_AndTheDefaultFileIsFound()
    {
        using var dir = new TempDirectory();
        var problems = new List<ConfigProblem>();

        Assert.Null(ConfigLoader.FindFile(Path.Combine(dir.Path, "missing.yaml"), NoEnvironment, dir.Path, problems));
        Assert.Contains("missing.yaml' does not exist (named by --config)", Assert.Single(problems).Message, StringComparison.Ordinal);

        problems.Clear();
        Assert.Null(ConfigLoader.FindFile(null, NoEnvironment, dir.Path, problems));
        var file = Write(dir, "autopilot.yaml", "grpcPort: 1234\n");
        Assert.Equal(file, ConfigLoader.FindFile(null, NoEnvironment, dir.Path, problems));
        Assert.Equal(file, ConfigLoader.FindFile(null, new Hashtable { ["AUTOPILOT_CONFIG"] = file }, "/", problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void ExampleFile_AtTheRepositoryRoot_IsValid()
    {
        var file = Path.Combine(RepoRoot(), "autopilot.example.yaml");

        var (options, problems) = ConfigLoader.Load(file, NoEnvironment, null);

        Assert.Empty(problems.Select(p => p.ToString()));
        Assert.Equal(2, options.Redaction.Rules.Count);
        Assert.Equal("checkout-p99", Assert.Single(options.Engines.Anomaly.Rules).Name);
    }

    [Fact]
    public void Print_MasksSecrets_AndReadsBackToTheSameConfiguration()
    {
        using var dir = new TempDirectory();
        var file = Write(dir, "s.yaml", """
            postgres: "Host=db;Username=ap;Password=pg-pass;Database=ap"
            auth:
              tokens:
                - { token: tok-secret, role: admin }
            tls:
              password: tls-pass
            telemetry:
              otlp:
                headers: "authorization=Bearer hdr-secret"
            engines:
              shards: 7
            """);
        var (options, problems) = ConfigLoader.Load(file, NoEnvironment, null, null);
        Assert.Empty(problems);

        var yaml = ConfigPrinter.ToYaml(options);
        var json = ConfigPrinter.ToJson(options);

        foreach (var secret in new[] { "pg-pass", "tok-secret", "tls-pass", "hdr-secret" })
        {
            Assert.DoesNotContain(secret, yaml, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }

        Assert.Contains("Host=db;Username=ap;Password=********;Database=ap", yaml, StringComparison.Ordinal);

        // Without secrets, what is printed reads back to the same configuration.
        var plain = Write(dir, "plain.yaml", "engines:\n  shards: 7\ningest:\n  urnAliases:\n    'urn:a': 'urn:b'\n");
        var (first, _) = ConfigLoader.Load(plain, NoEnvironment, null);
        var printed = Write(dir, "printed.yaml", ConfigPrinter.ToYaml(first));
        var (second, again) = ConfigLoader.Load(printed, NoEnvironment, null);
        Assert.Empty(again.Select(p => p.ToString()));
        Assert.Equal(ConfigPrinter.ToYaml(first), ConfigPrinter.ToYaml(second));
        Assert.Equal(7, second.Engines.Shards);
    }

    [Fact]
    public void Reference_ListsEveryKeyWithItsDefaultAndVariable()
    {
        var keys = ConfigReference.All();

        var maxRequest = Assert.Single(keys, k => k.Key == "ingest.maxRequestBytes");
        Assert.Equal(("16MiB", "AUTOPILOT_INGEST__MAX_REQUEST_BYTES"), (maxRequest.Default, maxRequest.EnvironmentVariable));
        Assert.Contains(keys, k => k.Key == "engines.freshness.minObservations" && k.Default == "5");
        Assert.Contains(keys, k => k.Key == "auth.tokens[].role");
        Assert.DoesNotContain(keys, k => k.Key == "ingest.bearerTokens" || k.Key == "ingest.dataDirectory" || k.Key == "eventsFile");
        Assert.Contains("request body", maxRequest.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("250ms", 250)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("2d", 172_800_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("00:05:00", 300_000)]
    public void Durations_ParseAndPrintBack(string text, long milliseconds)
    {
        Assert.True(ConfigValues.TryParseDuration(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
        Assert.True(ConfigValues.TryParseDuration(ConfigValues.FormatDuration(value), out var again));
        Assert.Equal(value, again);
    }

    private static List<ConfigProblem> Problems(string yaml)
    {
        using var dir = new TempDirectory();
        return ConfigLoader.Load(Write(dir, "t.yaml", yaml), NoEnvironment, null).Problems;
    }

    private static string Write(TempDirectory dir, string name, string text)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Autopilot.sln")))
            {
                return d.FullName;
            }
        }

        throw new InvalidOperationException($"Autopilot.sln not found above {AppContext.BaseDirectory}");
    }
}
