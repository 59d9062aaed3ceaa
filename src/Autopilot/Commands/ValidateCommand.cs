using System.CommandLine;
using System.Text;
using Autopilot.Agents.Validate;

namespace Autopilot.Host.Commands;

/// <summary>
/// <c>autopilot validate --run "&lt;command&gt;" --traffic traffic.yaml --expect expect.yaml</c>: the Telemetry
/// Validator. Starts the service with its OTLP and OpenLineage environment pointed at an embedded receiver, sends
/// the traffic, checks the expectations and prints the report (markdown, or JSON with <c>--output json</c>).
/// Exit 0 PASS, 1 FAIL, 2 usage or a bad file, 3 the service exited or never became ready.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var run = new Option<string>("--run") { Description = "Shell command that starts the service (run with /bin/sh -c).", Required = true };
        var traffic = new Option<string>("--traffic") { Description = "traffic.yaml: base URL, readiness probe and the HTTP requests to send.", Required = true };
        var expect = new Option<string>("--expect") { Description = "expect.yaml: spans, attributes, propagation, metrics and OpenLineage events that must arrive.", Required = true };
        var protocol = new Option<string>("--protocol") { Description = "OTEL_EXPORTER_OTLP_PROTOCOL for the service: http/protobuf, grpc or http/json.", DefaultValueFactory = _ => "http/protobuf" };
        protocol.AcceptOnlyFromAmong([.. ValidationOptions.Protocols]);
        var serviceName = new Option<string?>("--service-name") { Description = "Set OTEL_SERVICE_NAME for the service." };
        var env = new Option<string[]>("--env") { Description = "Extra environment variable for the service, KEY=VALUE (repeatable); overrides the validator's own." };
        var workdir = new Option<string?>("--workdir") { Description = "Directory to run the command in (default: the current one)." };
        var collect = new Option<string?>("--collect-timeout") { Description = "How long to wait for the expected telemetry after the traffic, e.g. 15s (default: expect.yaml's collectTimeout, else 15s)." };
        var stop = new Option<string>("--stop-timeout") { Description = "How long the service gets to exit after SIGTERM before it is killed.", DefaultValueFactory = _ => "10s" };
        var report = new Option<string?>("--report") { Description = "Write the JSON report (schemas/validation-report.schema.json) to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the markdown report to this file." };
        var output = new Option<string>("--output") { Description = "What to print: text (the markdown report) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");

        var command = new Command("validate", "Start a service, send it traffic and check that its telemetry really flows: PASS (0) or FAIL (1).")
        {
            run, traffic, expect, protocol, serviceName, env, workdir, collect, stop, report, markdown, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var options = new ValidationOptions
            {
                Command = parse.GetValue(run)!,
                TrafficPath = parse.GetValue(traffic)!,
                ExpectPath = parse.GetValue(expect)!,
                Protocol = parse.GetValue(protocol)!,
                ServiceName = parse.GetValue(serviceName),
            };
            var problems = new List<string>();
            if (parse.GetValue(workdir) is { } dir)
            {
                options.WorkingDirectory = Path.GetFullPath(dir);
            }

            foreach (var pair in parse.GetValue(env) ?? [])
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    problems.Add($"--env '{pair}' must be KEY=VALUE");
                    continue;
                }

                options.Environment[pair[..eq]] = pair[(eq + 1)..];
            }

            if (parse.GetValue(collect) is { } c)
            {
                if (DurationOption(c) is { } d)
                {
                    options.CollectTimeout = d;
                }
                else
                {
                    problems.Add($"--collect-timeout '{c}' is not a duration (e.g. 500ms, 15s, 2m)");
                }
            }

            if (DurationOption(parse.GetValue(stop)!) is { } s)
            {
                options.StopTimeout = s;
            }
            else
            {
                problems.Add($"--stop-timeout '{parse.GetValue(stop)}' is not a duration (e.g. 500ms, 10s)");
            }

            var reportPath = parse.GetValue(report);
            var markdownPath = parse.GetValue(markdown);
            foreach (var (name, path) in new[] { ("--report", reportPath), ("--markdown", markdownPath) })
            {
                if (path is not null && Path.GetDirectoryName(Path.GetFullPath(path)) is { } parent && !Directory.Exists(parent))
                {
                    problems.Add($"{name}: no directory '{parent}' to write '{path}' in");
                }
            }

            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    await stderr.WriteLineAsync("autopilot validate: " + p).ConfigureAwait(false);
                }

                return ValidateExitCodes.Usage;
            }

            ValidationOutcome outcome;
            try
            {
                outcome = await new ValidationRunner(new ProgressLogger(stderr)).RunAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (ValidationConfigException e)
            {
                await stderr.WriteLineAsync("autopilot validate: " + e.Message).ConfigureAwait(false);
                return ValidateExitCodes.Usage;
            }

            var json = ValidationReportJson.Serialize(outcome.Report);
            try
            {
                if (reportPath is not null)
                {
                    await File.WriteAllTextAsync(reportPath, json + "\n", new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                }

                if (markdownPath is not null)
                {
                    await File.WriteAllTextAsync(markdownPath, outcome.Markdown, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"autopilot validate: cannot write the report: {e.Message}").ConfigureAwait(false);
                return ValidateExitCodes.Usage;
            }

            await stdout.WriteLineAsync(parse.GetValue(output) == "json" ? json : outcome.Markdown).ConfigureAwait(false);
            return outcome.ExitCode;
        });
        return command;
    }

    private static TimeSpan? DurationOption(string text)
    {
        // The same forms as in expect.yaml; parsed here so a bad value is a usage error before anything starts.
        var probe = DurationText.TryParse(text, out var value);
        return probe && value > TimeSpan.Zero ? value : null;
    }
}
