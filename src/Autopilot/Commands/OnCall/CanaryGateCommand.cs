using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>
/// <c>autopilot canary-gate</c>: compares a canary with its baseline (request and error counts, p95 / p99
/// latency) given as numbers or as PromQL against a Prometheus server, and answers Continue, Hold or Rollback
/// with the reasons, as an exit code a deployment pipeline can branch on.
/// </summary>
internal static class CanaryGateCommand
{
    /// <summary>The numbers a verdict needs, in the order of <see cref="CanaryInput"/>; the first four are required.</summary>
    private static readonly string[] QueryNames = ["baseline-requests", "baseline-errors", "canary-requests", "canary-errors", "baseline-p95", "canary-p95", "baseline-p99", "canary-p99"];

    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        var baseRequests = new Option<double?>("--baseline-requests") { Description = "Requests served by the baseline in the comparison window." };
        var baseErrors = new Option<double?>("--baseline-errors") { Description = "Failed requests of the baseline." };
        var canRequests = new Option<double?>("--canary-requests") { Description = "Requests served by the canary." };
        var canErrors = new Option<double?>("--canary-errors") { Description = "Failed requests of the canary." };
        var baseP95 = new Option<double?>("--baseline-p95") { Description = "Baseline p95 latency (ms)." };
        var canP95 = new Option<double?>("--canary-p95") { Description = "Canary p95 latency (ms)." };
        var baseP99 = new Option<double?>("--baseline-p99") { Description = "Baseline p99 latency (ms)." };
        var canP99 = new Option<double?>("--canary-p99") { Description = "Canary p99 latency (ms)." };
        var prometheus = new Option<string?>("--prometheus") { Description = "Read the numbers from this Prometheus server; each --*-query is PromQL returning one number." };
        prometheus.Validators.Add(r => HttpAddress.Validate(r, "--prometheus"));
        var queries = QueryNames.Select(n => new Option<string?>($"--{n}-query") { Description = $"PromQL for {n.Replace('-', ' ')} (with --prometheus)." }).ToArray();
        var minRequests = new Option<double>("--min-requests") { Description = "Requests each side needs before a verdict other than Hold.", DefaultValueFactory = _ => 200 };
        var maxDelta = new Option<double>("--max-error-delta") { Description = "Largest tolerated rise of the error rate, in absolute terms (0.01 = one percentage point).", DefaultValueFactory = _ => 0.01 };
        var maxLatency = new Option<double>("--max-latency-regression") { Description = "Largest tolerated p95/p99 rise as a fraction of the baseline (0.2 = 20 %).", DefaultValueFactory = _ => 0.2 };

        var command = new Command("canary-gate", "Compare a canary with its baseline and answer Continue (0), Rollback (1) or Hold (3).")
        {
            output, baseRequests, baseErrors, canRequests, canErrors, baseP95, canP95, baseP99, canP99, prometheus, minRequests, maxDelta, maxLatency,
        };
        foreach (var q in queries)
        {
            command.Options.Add(q);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var limits = new CanaryLimits(parse.GetValue(minRequests), parse.GetValue(maxDelta), parse.GetValue(maxLatency));
            if (limits.MinRequests < 1 || limits.MaxErrorDelta is < 0 or >= 1 || limits.MaxLatencyRegression <= 0)
            {
                await stderr.WriteLineAsync("autopilot canary-gate: --min-requests must be ≥ 1, --max-error-delta in [0, 1), --max-latency-regression > 0").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            double?[] values;
            if (parse.GetValue(prometheus) is { } prometheusAddress)
            {
                if (queries.Take(4).Any(q => parse.GetValue(q) is null))
                {
                    await stderr.WriteLineAsync("autopilot canary-gate: --prometheus needs --baseline-requests-query, --baseline-errors-query, --canary-requests-query and --canary-errors-query").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }

                values = new double?[queries.Length];
                try
                {
                    using var api = new PrometheusApi(HttpAddress.Parse(prometheusAddress));
                    var now = DateTimeOffset.UtcNow;
                    for (var i = 0; i < queries.Length; i++)
                    {
                        if (parse.GetValue(queries[i]) is { } q)
                        {
                            values[i] = await api.ScalarAsync(q, now, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                catch (SourceException e)
                {
                    await stderr.WriteLineAsync("autopilot canary-gate: " + e.Message).ConfigureAwait(false);
                    return ExitCodes.Unavailable;
                }
            }
            else
            {
                values = [parse.GetValue(baseRequests), parse.GetValue(baseErrors), parse.GetValue(canRequests), parse.GetValue(canErrors), parse.GetValue(baseP95), parse.GetValue(canP95), parse.GetValue(baseP99), parse.GetValue(canP99)];
                if (values.Take(4).Any(v => v is null))
                {
                    await stderr.WriteLineAsync("autopilot canary-gate: give --baseline-requests, --baseline-errors, --canary-requests and --canary-errors (or --prometheus with the matching --*-query options)").ConfigureAwait(false);
                    return ExitCodes.Usage;
                }
            }

            var input = new CanaryInput(values[0]!.Value, values[1]!.Value, values[2]!.Value, values[3]!.Value, values[4], values[5], values[6], values[7]);
            if (input.Problem() is { } problem)
            {
                await stderr.WriteLineAsync("autopilot canary-gate: " + problem).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var result = Judge(input, limits);
            if (parse.GetValue(output) == "json")
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(result, Format.Json)).ConfigureAwait(false);
            }
            else
            {
                await stdout.WriteLineAsync($"Verdict: {result.Verdict.ToUpperInvariant()}").ConfigureAwait(false);
                var table = new TextTable("CHECK", "RESULT", "DETAIL");
                foreach (var check in result.Checks)
                {
                    table.Add(check.Name, check.Result, check.Detail);
                }

                await table.WriteAsync(stdout).ConfigureAwait(false);
            }

            return result.Verdict switch { "continue" => ExitCodes.Ok, "rollback" => ExitCodes.Alert, _ => ExitCodes.Hold };
        });
        return command;
    }

    /// <summary>
    /// The verdict: Rollback when the canary's error rate is higher with one-sided p &lt; 0.01 (two-proportion z
    /// test) and by more than the tolerated delta, or when a latency percentile rose past the tolerated
    /// regression; Hold when either side has too few requests or a regression is suspicious but not yet
    /// conclusive (p &lt; 0.05, or latency past half the tolerance); Continue otherwise.
    /// </summary>
    internal static CanaryResult Judge(CanaryInput input, CanaryLimits limits)
    {
        var checks = new List<CanaryCheck>();
        var baseRate = input.BaselineRequests > 0 ? input.BaselineErrors / input.BaselineRequests : 0;
        var canRate = input.CanaryRequests > 0 ? input.CanaryErrors / input.CanaryRequests : 0;
        var enough = input.BaselineRequests >= limits.MinRequests && input.CanaryRequests >= limits.MinRequests;
        checks.Add(new CanaryCheck("sample size", enough ? "pass" : "hold",
            Inv($"baseline {input.BaselineRequests:0} and canary {input.CanaryRequests:0} requests; at least {limits.MinRequests:0} each needed")));

        var delta = canRate - baseRate;
        var z = ZScore(input.CanaryErrors, input.CanaryRequests, input.BaselineErrors, input.BaselineRequests);
        var p = 1 - NormalCdf(z);
        var errorResult = !enough ? "hold"
            : p < 0.01 && delta > limits.MaxErrorDelta ? "fail"
            : p < 0.05 && delta > limits.MaxErrorDelta / 2 ? "hold"
            : "pass";
        checks.Add(new CanaryCheck("error rate", errorResult,
            Inv($"canary {canRate:P2} vs baseline {baseRate:P2} (delta {delta * 100:+0.##;-0.##;0} pp, tolerated {limits.MaxErrorDelta * 100:0.##} pp; z = {z:0.##}, one-sided p = {p:0.####})")));

        foreach (var (name, baseline, canary) in new[] { ("p95 latency", input.BaselineP95, input.CanaryP95), ("p99 latency", input.BaselineP99, input.CanaryP99) })
        {
            if (baseline is not { } b || canary is not { } c)
            {
                continue;
            }

            var rise = b > 0 ? (c - b) / b : c > 0 ? double.PositiveInfinity : 0;
            var result = !enough ? "hold" : rise > limits.MaxLatencyRegression ? "fail" : rise > limits.MaxLatencyRegression / 2 ? "hold" : "pass";
            checks.Add(new CanaryCheck(name, result, Inv($"canary {c:0.##} ms vs baseline {b:0.##} ms ({rise * 100:+0.#;-0.#;0} %, tolerated +{limits.MaxLatencyRegression * 100:0.#} %)")));
        }

        var verdict = checks.Any(c => c.Result == "fail") ? "rollback" : checks.Any(c => c.Result == "hold") ? "hold" : "continue";
        return new CanaryResult(verdict, checks, input, limits);
    }

    /// <summary>Pooled two-proportion z statistic of (canary rate − baseline rate); 0 when undefined.</summary>
    internal static double ZScore(double canaryErrors, double canaryRequests, double baselineErrors, double baselineRequests)
    {
        if (canaryRequests <= 0 || baselineRequests <= 0)
        {
            return 0;
        }

        var pooled = (canaryErrors + baselineErrors) / (canaryRequests + baselineRequests);
        var se = Math.Sqrt(pooled * (1 - pooled) * ((1 / canaryRequests) + (1 / baselineRequests)));
        return se > 0 ? ((canaryErrors / canaryRequests) - (baselineErrors / baselineRequests)) / se : 0;
    }

    /// <summary>Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf; absolute error below 1.5e-7).</summary>
    internal static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var erf = 1 - ((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

internal sealed record CanaryLimits(double MinRequests, double MaxErrorDelta, double MaxLatencyRegression);

internal sealed record CanaryInput(double BaselineRequests, double BaselineErrors, double CanaryRequests, double CanaryErrors, double? BaselineP95, double? CanaryP95, double? BaselineP99, double? CanaryP99)
{
    /// <summary>What makes these numbers impossible, or null.</summary>
    public string? Problem()
    {
        foreach (var (name, value) in new (string, double?)[] { ("baseline requests", BaselineRequests), ("baseline errors", BaselineErrors), ("canary requests", CanaryRequests), ("canary errors", CanaryErrors), ("baseline p95", BaselineP95), ("canary p95", CanaryP95), ("baseline p99", BaselineP99), ("canary p99", CanaryP99) })
        {
            if (value is { } v && (!double.IsFinite(v) || v < 0))
            {
                return $"{name} is {v.ToString(CultureInfo.InvariantCulture)}; it must be a finite number ≥ 0";
            }
        }

        return BaselineErrors > BaselineRequests ? $"baseline errors ({BaselineErrors}) exceed its requests ({BaselineRequests})"
            : CanaryErrors > CanaryRequests ? $"canary errors ({CanaryErrors}) exceed its requests ({CanaryRequests})"
            : null;
    }
}

internal sealed record CanaryCheck(string Name, string Result, string Detail);

internal sealed record CanaryResult(string Verdict, IReadOnlyList<CanaryCheck> Checks, CanaryInput Input, CanaryLimits Limits);
