using System.CommandLine;
using System.Globalization;
using Autopilot.Agents.Gate;
using Autopilot.Agents.Gate.Output;

namespace Autopilot.Host.Commands.Gate;

/// <summary>
/// <c>autopilot gate</c>: the CI Gatekeeper. Judges the working tree of a git repository against a base revision
/// under a tiered policy (gates.yaml) and answers PASS / WARN (exit 0) or FAIL (exit 1); a usage problem (bad option,
/// policy, schema or contract file, report, repository) exits 2 with one line per problem. Under GitHub Actions
/// (<c>GITHUB_ACTIONS=true</c>) it also writes annotations and appends a markdown report to <c>$GITHUB_STEP_SUMMARY</c>.
/// </summary>
internal static class GateCommand
{
    public const int Pass = 0;
    public const int Fail = 1;
    public const int Usage = 2;

    /// <param name="environment">Reads environment variables (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_BASE_REF); the process environment by default.</param>
    public static Command Create(Func<string, string?>? environment = null)
    {
        var env = environment ?? Environment.GetEnvironmentVariable;
        var repo = new Option<string>("--repo") { Description = "A folder inside the git repository to judge.", DefaultValueFactory = _ => "." };
        var baseRef = new Option<string?>("--base") { Description = "Revision to compare schemas and contracts with (default: origin/$GITHUB_BASE_REF on a GitHub pull request; none otherwise)." };
        var policy = new Option<string?>("--policy") { Description = "gates.yaml with tiers, checks, rollout dates and waivers (default: the built-in policy)." };
        var now = new Option<string?>("--now") { Description = "Judge rollout dates and waiver expiries as of this UTC date or time (YYYY-MM-DD or ISO 8601); default: now." };
        var reports = new Option<string[]>("--validation-report") { Description = "Telemetry Validator report (JSON) to use for telemetry-validation (repeatable).", AllowMultipleArgumentsPerToken = false };
        var blockSoftFail = new Option<bool>("--block-soft-fail") { Description = "Soft-fail failures fail the gate (exit 1) instead of passing it as WARN." };
        var output = new Option<string>("--output") { Description = "table (default) or json on stdout.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var outFile = new Option<string?>("--out") { Description = "Also write the gate status JSON to this file." };

        var command = new Command("gate", "CI Gatekeeper: tiered checks (OTel SDK, lineage spec, schema compatibility, runbook, data contracts, validator report) → PASS/WARN (0), FAIL (1), usage error (2).")
        {
            repo, baseRef, policy, now, reports, blockSoftFail, output, outFile,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            DateTimeOffset? at = null;
            if (parse.GetValue(now) is { } nowText)
            {
                if (!DateTimeOffset.TryParse(nowText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                {
                    await stderr.WriteLineAsync($"autopilot gate: --now '{nowText}' is not a date or time (use YYYY-MM-DD or ISO 8601)").ConfigureAwait(false);
                    return Usage;
                }

                at = parsed;
            }

            var options = new GateOptions
            {
                RepoPath = parse.GetValue(repo)!,
                BaseRef = parse.GetValue(baseRef) ?? (env("GITHUB_BASE_REF") is { Length: > 0 } prBase ? "origin/" + prBase : null),
                PolicyPath = parse.GetValue(policy),
                Now = at,
                ValidationReports = parse.GetValue(reports) ?? [],
                BlockSoftFail = parse.GetValue(blockSoftFail),
            };

            GateStatus status;
            try
            {
                status = await GateRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);
            }
            catch (GateUsageException e)
            {
                foreach (var line in e.Message.Split('\n'))
                {
                    await stderr.WriteLineAsync("autopilot gate: " + line).ConfigureAwait(false);
                }

                return Usage;
            }

            var jsonOnStdout = parse.GetValue(output) == "json";
            var json = jsonOnStdout || parse.GetValue(outFile) is not null ? GateStatusJson.Serialize(status) : null;
            if (parse.GetValue(outFile) is { } file)
            {
                try
                {
                    await File.WriteAllTextAsync(file, json + "\n", cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    await stderr.WriteLineAsync($"autopilot gate: --out '{file}' cannot be written: {e.Message}").ConfigureAwait(false);
                    return Usage;
                }
            }

            if (string.Equals(env("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase))
            {
                // The runner reads workflow commands from both streams; keep stdout parseable when it carries the JSON.
                await GitHubActionsReporter.WriteAnnotationsAsync(status, jsonOnStdout ? stderr : stdout).ConfigureAwait(false);
                if (env("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
                {
                    try
                    {
                        await File.AppendAllTextAsync(summary, GitHubActionsReporter.Markdown(status), cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        await stderr.WriteLineAsync($"autopilot gate: cannot append to $GITHUB_STEP_SUMMARY '{summary}': {e.Message}").ConfigureAwait(false);
                    }
                }
            }

            if (jsonOnStdout)
            {
                await stdout.WriteLineAsync(json).ConfigureAwait(false);
            }
            else
            {
                await GateTextReport.WriteAsync(status, stdout).ConfigureAwait(false);
            }

            return status.ExitCode;
        });
        return command;
    }
}
