using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Autopilot.Agents.Validate;

/// <summary>
/// <c>autopilot validate</c>: starts the embedded receiver, starts the service with its OTLP and OpenLineage
/// environment pointed there, waits until it is ready, sends the traffic, waits (bounded) until the expected
/// telemetry has arrived, stops the service (SIGTERM, then kill) and judges what arrived, including what the
/// service flushed while shutting down.
/// </summary>
public sealed partial class ValidationRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    // Signal-specific settings in the caller's environment would win over ours and send telemetry elsewhere.
    private static readonly string[] Cleared =
    [
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL",
    ];

    private readonly ILogger _logger;

    public ValidationRunner(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Runs one validation. Throws <see cref="ValidationConfigException"/> (exit 2) before anything starts when
    /// an option or file is unusable; otherwise returns the report with exit code 0 (PASS), 1 (FAIL) or 3 (the
    /// service exited or never became ready).
    /// </summary>
    public async Task<ValidationOutcome> RunAsync(ValidationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var traffic = TrafficFile.Load(options.TrafficPath);
        var expect = ExpectFile.Load(options.ExpectPath);
        var collectTimeout = options.CollectTimeout ?? expect.CollectTimeout ?? ValidationOptions.DefaultCollectTimeout;

        var startedAt = DateTimeOffset.UtcNow;
        var total = Stopwatch.StartNew();
        var commit = await GitHead.ReadAsync(options.WorkingDirectory, cancellationToken).ConfigureAwait(false);

        var receiver = await TelemetryReceiver.StartAsync(cancellationToken).ConfigureAwait(false);
        await using (receiver.ConfigureAwait(false))
        {
            var endpoint = options.Protocol == "grpc" ? receiver.GrpcEndpoint : receiver.HttpEndpoint;
            var receiverInfo = new ReceiverInfo(endpoint, options.Protocol);
            var environment = Environment(options, endpoint, receiver.HttpEndpoint);
            LogStarting(_logger, options.Command, endpoint, options.Protocol);

            using var service = ServiceProcess.Start(options.Command, options.WorkingDirectory, environment.Set, environment.Removed);
            using var sender = new TrafficSender(traffic.BaseUrl, ExpansionEnvironment(environment.Set));
            var checks = new List<ValidationCheck>();

            // 1. Readiness.
            var phase = Stopwatch.StartNew();
            var notReady = traffic.Readiness is { } probe
                ? await sender.WaitReadyAsync(probe, service.Exited, cancellationToken).ConfigureAwait(false)
                : service.HasExited ? "the service exited at once" : null;
            var readyMs = phase.ElapsedMilliseconds;
            if (notReady is not null)
            {
                var died = service.HasExited;
                var exit = await service.StopAsync(options.StopTimeout).ConfigureAwait(false);
                var output = new ServiceOutput(exit, died, service.Stdout.Lines(), service.Stderr.Lines());
                checks.Add(new ValidationCheck("readiness", "readiness", CheckStatus.Fail, NotReadyMessage(notReady, output), CheckEvidence.None));
                LogNotReady(_logger, notReady);
                var report = Report(options, expect, commit, checks, receiver.Capture.Snapshot(), new TrafficResult(0, 0, [], []), null, receiverInfo, startedAt, total, readyMs, 0, 0, output);
                return new ValidationOutcome(report, ValidationMarkdown.Render(report), ValidateExitCodes.ServiceDidNotStart);
            }

            checks.Add(new ValidationCheck("readiness", "readiness", CheckStatus.Pass,
                traffic.Readiness is { } p
                    ? $"{sender.Resolve(p.Url)} answered {TrafficSender.ExpectedText(p.ExpectedStatus)} after {readyMs} ms."
                    : "no readiness probe configured; traffic was sent as soon as the process ran.",
                CheckEvidence.None));
            LogReady(_logger, readyMs);

            // 2. Traffic.
            phase.Restart();
            var sent = await sender.SendAsync(traffic.Requests, cancellationToken).ConfigureAwait(false);
            checks.Add(TrafficCheck(sent));
            KafkaResult? produced = null;
            if (traffic.Kafka is { } kafka)
            {
                produced = await KafkaSender.SendAsync(kafka, sender.Expand, cancellationToken).ConfigureAwait(false);
                checks.Add(KafkaCheck(kafka, produced));
                LogKafkaSent(_logger, produced.Delivered.Count, produced.Sent, produced.BootstrapServers);
            }

            var trafficMs = phase.ElapsedMilliseconds;
            LogTrafficSent(_logger, sent.RequestsSent, sent.RequestsFailed);

            // 3. Wait until the expectations hold, the service exits, or the collect timeout passes.
            phase.Restart();
            var seenVersion = -1;
            while (phase.Elapsed < collectTimeout && !service.HasExited)
            {
                var version = receiver.Capture.Version;
                if (version != seenVersion)
                {
                    seenVersion = version;
                    var now = receiver.Capture.Snapshot();
                    if (ExpectationEvaluator.Evaluate(expect, now, receiverInfo).TrueForAll(c => c.Status != CheckStatus.Fail)
                        && (produced is null || KafkaContinuation.Evaluate(produced, now).TrueForAll(c => c.Status != CheckStatus.Fail)))
                    {
                        break;
                    }
                }

                var left = collectTimeout - phase.Elapsed;
                await Task.WhenAny(service.Exited, Task.Delay(left < PollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : PollInterval, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }

            // 4. Stop the service; what it flushed on the way out counts too.
            var exitedEarly = service.HasExited;
            var exitCode = await service.StopAsync(options.StopTimeout).ConfigureAwait(false);
            var collectMs = phase.ElapsedMilliseconds;
            var snapshot = receiver.Capture.Snapshot();
            if (exitedEarly)
            {
                checks.Add(new ValidationCheck("service:running", "readiness", CheckStatus.Fail,
                    $"the service exited with code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"} during the run, before the validator stopped it; its output is in the report.",
                    CheckEvidence.None));
            }

            checks.AddRange(ExpectationEvaluator.Evaluate(expect, snapshot, receiverInfo));
            if (produced is not null)
            {
                checks.AddRange(KafkaContinuation.Evaluate(produced, snapshot));
            }
            var failed = checks.Exists(c => c.Status == CheckStatus.Fail);
            var output2 = failed ? new ServiceOutput(exitCode, exitedEarly, service.Stdout.Lines(), service.Stderr.Lines()) : null;
            var final = Report(options, expect, commit, checks, snapshot, sent, produced, receiverInfo, startedAt, total, readyMs, trafficMs, collectMs, output2);
            LogVerdict(_logger, failed ? "FAIL" : "PASS");
            return new ValidationOutcome(final, ValidationMarkdown.Render(final), failed ? ValidateExitCodes.Fail : ValidateExitCodes.Pass);
        }
    }

    private static string NotReadyMessage(string notReady, ServiceOutput output)
    {
        var tail = output.StderrTail.Count > 0 ? output.StderrTail : output.StdoutTail;
        var last = tail.Count == 0 ? "it wrote nothing" : $"its last output: {string.Join(" | ", tail.TakeLast(3))}";
        var exit = output.ExitedEarly ? $"The service exited with code {output.ExitCode}; {last}." : $"It was still running and was stopped; {last}.";
        return $"the service did not become ready: {notReady}. {exit} Check the command (--run), its working directory and the port it listens on (the validator sets PORT; traffic.yaml's baseUrl may use ${{PORT}}).";
    }

    private static ValidationCheck TrafficCheck(TrafficResult sent)
    {
        if (sent.RequestsSent == 0)
        {
            return new ValidationCheck("traffic", "traffic", CheckStatus.Skip, "no HTTP requests in traffic.yaml.", CheckEvidence.None);
        }

        return sent.RequestsFailed == 0
            ? new ValidationCheck("traffic", "traffic", CheckStatus.Pass, $"{sent.RequestsSent} request(s) sent, every one answered as expected.", CheckEvidence.None)
            : new ValidationCheck("traffic", "traffic", CheckStatus.Fail,
                $"{sent.RequestsFailed} of {sent.RequestsSent} request(s) did not get the expected answer: {string.Join("; ", sent.Failures.Take(5))}. Spans for failed requests may be missing or carry error statuses.",
                CheckEvidence.None);
    }

    private static ValidationCheck KafkaCheck(KafkaTraffic kafka, KafkaResult produced)
    {
        var topics = string.Join(", ", kafka.Topics);
        if (produced.Sent > 0 && produced.Failed == 0)
        {
            return new ValidationCheck("traffic:kafka", "traffic", CheckStatus.Pass,
                $"{produced.Sent} Kafka message(s) to {topics} delivered to bootstrap servers {produced.BootstrapServers}{(kafka.Traceparent ? ", each with a traceparent of the validator's own" : string.Empty)}.",
                CheckEvidence.None);
        }

        var what = produced.Sent == 0
            ? $"no Kafka message could be sent to bootstrap servers {produced.BootstrapServers}"
            : $"{produced.Failed} of {produced.Sent} Kafka message(s) to {topics} were not delivered to bootstrap servers {produced.BootstrapServers} within {DurationText.Format(kafka.Timeout)}";
        return new ValidationCheck("traffic:kafka", "traffic", CheckStatus.Fail,
            $"{what}: {string.Join("; ", produced.Failures.Take(5))}. Is a broker listening there, and is it the one the service consumes from (pass its address to the service with --env, and use ${{VAR}} in kafka.bootstrapServers)?",
            CheckEvidence.None);
    }

    private static ValidationReport Report(
        ValidationOptions options,
        ExpectationSet expect,
        string? commit,
        List<ValidationCheck> checks,
        TelemetrySnapshot seen,
        TrafficResult sent,
        KafkaResult? produced,
        ReceiverInfo receiver,
        DateTimeOffset startedAt,
        Stopwatch total,
        long readyMs,
        long trafficMs,
        long collectMs,
        ServiceOutput? output)
    {
        var notes = new List<string>(sent.Notes);
        if (produced is not null)
        {
            notes.Add($"{produced.Delivered.Count} of {produced.Sent} Kafka message(s) delivered to {produced.BootstrapServers}.");
        }

        if (seen.Dropped > 0)
        {
            notes.Add($"{seen.Dropped} item(s) past the receiver's caps were counted but not kept.");
        }

        var verdict = checks.Exists(c => c.Status == CheckStatus.Fail) ? Verdict.Fail : Verdict.Pass;
        var metricNames = seen.MetricPoints.Select(p => p.Name).Distinct().Order(StringComparer.Ordinal).ToList();
        return new ValidationReport(
            ValidationReport.CurrentSchemaVersion,
            expect.Service,
            commit,
            options.Command,
            verdict,
            checks,
            new ReceivedSummary(seen.Spans.Count, seen.MetricPoints.Count, seen.Logs, seen.Lineage.Count, seen.Services(), metricNames),
            new TrafficSummary(sent.RequestsSent, sent.RequestsFailed, produced?.Delivered.Count ?? 0, notes),
            new ValidationTiming(startedAt, DateTimeOffset.UtcNow, total.ElapsedMilliseconds, readyMs, trafficMs, collectMs),
            receiver,
            output);
    }

    private static (Dictionary<string, string> Set, IReadOnlyList<string> Removed) Environment(ValidationOptions options, string otlpEndpoint, string httpEndpoint)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = options.Protocol,
            ["OTEL_TRACES_EXPORTER"] = "otlp",
            ["OTEL_METRICS_EXPORTER"] = "otlp",
            ["OTEL_LOGS_EXPORTER"] = "otlp",

            // Short export intervals, so the telemetry of the traffic arrives in about a second, not the 5 s / 60 s defaults.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
            ["OPENLINEAGE_URL"] = httpEndpoint,
        };
        if (options.ServiceName is { } name)
        {
            env["OTEL_SERVICE_NAME"] = name;
        }

        if (!options.Environment.ContainsKey("PORT"))
        {
            env["PORT"] = FreePort().ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (key, value) in options.Environment)
        {
            env[key] = value;
        }

        var removed = Cleared.Where(c => !env.ContainsKey(c)).ToList();
        return (env, removed);
    }

    /// <summary>What <c>${VAR}</c> in traffic.yaml sees: the service's environment (ours over the caller's).</summary>
    private static Dictionary<string, string> ExpansionEnvironment(Dictionary<string, string> set)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            all[(string)e.Key] = (string?)e.Value ?? string.Empty;
        }

        foreach (var (key, value) in set)
        {
            all[key] = value;
        }

        return all;
    }

    private static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting the service: {Command} (OTLP {Protocol} to {Endpoint})")]
    private static partial void LogStarting(ILogger logger, string command, string endpoint, string protocol);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The service did not become ready: {Reason}")]
    private static partial void LogNotReady(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The service is ready after {Milliseconds} ms; sending traffic")]
    private static partial void LogReady(ILogger logger, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Sent} request(s), {Failed} not answered as expected; waiting for telemetry")]
    private static partial void LogTrafficSent(ILogger logger, int sent, int failed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {Delivered} of {Sent} Kafka message(s) to {BootstrapServers}")]
    private static partial void LogKafkaSent(ILogger logger, int delivered, int sent, string bootstrapServers);

    [LoggerMessage(Level = LogLevel.Information, Message = "Verdict {Verdict}")]
    private static partial void LogVerdict(ILogger logger, string verdict);
}
