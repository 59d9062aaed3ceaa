using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Autopilot.Engines.State;
using Autopilot.Host.Commands.OnCall;
using Autopilot.Ingest.Receivers;
using Autopilot.Rca.Answers;
using Autopilot.Rca.Explain;

namespace Autopilot.Host.Commands.Rca;

/// <summary>
/// <c>autopilot rca &lt;incident-id&gt;</c> and <c>autopilot rca --from &lt;t&gt; --to &lt;t&gt; [--urn &lt;urn&gt;]</c>: why it
/// happened and what to do, from a running server's explain API. Exit codes: 0 answered, 2 usage (also a request
/// the server refused as bad), 3 no such incident, 4 server unreachable or failing.
/// </summary>
internal static class RcaCommand
{
    public const int NotFound = 3;

    public static Command Create()
    {
        var common = new OnCallOptions();
        var incident = new Argument<string?>("incident-id") { Description = "The incident to explain (see autopilot health).", Arity = ArgumentArity.ZeroOrOne };
        var from = new Option<string?>("--from") { Description = "Start of a window to analyse instead of an incident: RFC 3339 (2026-11-22T10:00:00Z) or Unix milliseconds." };
        var to = new Option<string?>("--to") { Description = "End of the window." };
        var urn = new Option<string?>("--urn") { Description = "With a window: the symptom to explain (findings within a few hops of it)." };
        var explainer = new Option<string>("--explainer") { Description = "auto (the server's configured explainer), rules or llm.", DefaultValueFactory = _ => "auto" };
        explainer.AcceptOnlyFromAmong("auto", "rules", "llm");
        var printPrompt = new Option<bool>("--print-prompt") { Description = "Print exactly what the LLM explainer would send, without sending it." };
        var command = new Command("rca", "Why did an incident (or a time window) happen, and what to do: root causes, timeline, blast radius, actions.") { incident, from, to, urn, explainer, printPrompt };
        common.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var id = parse.GetValue(incident);
            var (f, t, u) = (parse.GetValue(from), parse.GetValue(to), parse.GetValue(urn));
            var problems = Validate(id, f, t, u);
            if (problems.Count > 0)
            {
                foreach (var p in problems)
                {
                    await stderr.WriteLineAsync("autopilot rca: " + p).ConfigureAwait(false);
                }

                return ExitCodes.Usage;
            }

            var query = $"?explainer={parse.GetValue(explainer)}{(parse.GetValue(printPrompt) ? "&prompt=true" : string.Empty)}";
            using var http = Client(common, parse);
            var server = http.BaseAddress!;
            HttpResponseMessage response;
            try
            {
                if (id is not null)
                {
                    response = await http.GetAsync(new Uri($"/api/incidents/{Uri.EscapeDataString(id)}/explain{query}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    var body = new JsonObject { ["from"] = f, ["to"] = t };
                    if (u is not null)
                    {
                        body["urn"] = u;
                    }

                    using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                    response = await http.PostAsync(new Uri("/api/rca/analyze" + query, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (HttpRequestException e)
            {
                await stderr.WriteLineAsync($"autopilot rca: cannot reach Autopilot at {server}: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await stderr.WriteLineAsync($"autopilot rca: Autopilot at {server} did not answer within {http.Timeout.TotalSeconds:0} s").ConfigureAwait(false);
                return ExitCodes.Unavailable;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var message = Message(text);
                    await stderr.WriteLineAsync("autopilot rca: " + (response.StatusCode == HttpStatusCode.NotFound && id is not null ? $"no incident '{id}' on {server}" : message)).ConfigureAwait(false);
                    return response.StatusCode switch
                    {
                        HttpStatusCode.NotFound when id is not null => NotFound,
                        HttpStatusCode.BadRequest => ExitCodes.Usage,
                        _ => ExitCodes.Unavailable,
                    };
                }

                try
                {
                    if (parse.GetValue(printPrompt))
                    {
                        var prompt = JsonSerializer.Deserialize<RcaPrompt>(text, EngineJson.Options) ?? throw new JsonException("empty");
                        await (common.Json(parse) ? stdout.WriteLineAsync(JsonSerializer.Serialize(prompt, Format.Json)) : WritePromptAsync(stdout, prompt)).ConfigureAwait(false);
                    }
                    else
                    {
                        var answer = JsonSerializer.Deserialize<RcaAnswer>(text, EngineJson.Options) ?? throw new JsonException("empty");
                        await (common.Json(parse) ? stdout.WriteLineAsync(JsonSerializer.Serialize(answer, Format.Json)) : WriteAnswerAsync(stdout, answer)).ConfigureAwait(false);
                    }
                }
                catch (JsonException e)
                {
                    await stderr.WriteLineAsync($"autopilot rca: Autopilot at {server} answered something that is not an RCA answer: {e.Message}").ConfigureAwait(false);
                    return ExitCodes.Unavailable;
                }
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    internal static List<string> Validate(string? id, string? from, string? to, string? urn)
    {
        var problems = new List<string>();
        if (id is not null && (from is not null || to is not null))
        {
            problems.Add("give an incident id or a window (--from and --to), not both");
        }
        else if (id is null && from is null && to is null)
        {
            problems.Add("give an incident id (autopilot rca inc-…) or a window (--from <time> --to <time> [--urn <urn>])");
        }
        else if (id is null && (from is null || to is null))
        {
            problems.Add(from is null ? "--to needs --from" : "--from needs --to");
        }

        if (id is not null && string.IsNullOrWhiteSpace(id))
        {
            problems.Add("the incident id is empty");
        }

        if (urn is not null && id is not null)
        {
            problems.Add("--urn goes with a window (--from/--to), not with an incident id");
        }

        var f = Time(from, "--from");
        var t = Time(to, "--to");
        if (f is { } a && t is { } b && b < a)
        {
            problems.Add("--to is before --from");
        }

        if (urn is not null && (!urn.StartsWith("urn:autopilot:", StringComparison.Ordinal) || urn.Split(':').Length < 5))
        {
            problems.Add($"--urn '{urn}' is not an Autopilot URN (urn:autopilot:<kind>:<namespace>:<name>)");
        }

        return problems;

        long? Time(string? text, string name)
        {
            if (text is null)
            {
                return null;
            }

            if (QueryParameters.TryTime(text, name, out var time, out var error) && time is not null)
            {
                return time;
            }

            problems.Add(error ?? $"{name} is empty");
            return null;
        }
    }

    private static HttpClient Client(OnCallOptions common, ParseResult parse)
    {
        // The LLM explainer may take its full timeout (20 s by default) on the server: wait longer than that.
        var http = new HttpClient { BaseAddress = HttpAddress.Parse(parse.GetValue(common.Server)!), Timeout = TimeSpan.FromSeconds(120) };
        var token = parse.GetValue(common.Token) ?? (Environment.GetEnvironmentVariable("AUTOPILOT_TOKEN") is { Length: > 0 } t ? t : null);
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    private static string Message(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not our error shape (a proxy?): quote the body.
        }

        return ServerApi.Shorten(body.ReplaceLineEndings(" "));
    }

    private static async Task WritePromptAsync(TextWriter stdout, RcaPrompt prompt)
    {
        await stdout.WriteLineAsync($"# prompt for {prompt.Provider}/{prompt.Model}: {prompt.Characters} of at most {prompt.MaxCharacters} characters; nothing was sent").ConfigureAwait(false);
        foreach (var cut in prompt.Truncated)
        {
            await stdout.WriteLineAsync("# truncated: " + cut).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync("--- system ---").ConfigureAwait(false);
        await stdout.WriteLineAsync(prompt.System).ConfigureAwait(false);
        await stdout.WriteLineAsync("--- user ---").ConfigureAwait(false);
        await stdout.WriteLineAsync(prompt.User).ConfigureAwait(false);
    }

    private static async Task WriteAnswerAsync(TextWriter stdout, RcaAnswer answer)
    {
        await stdout.WriteLineAsync(answer.Summary).ConfigureAwait(false);
        await stdout.WriteLineAsync($"(explained by {answer.Explainer}{(answer.ExplainerFallback is { } why ? $"; fallback: {why}" : string.Empty)})").ConfigureAwait(false);

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync(answer.RootCauses.Count == 0 ? "Root causes: none" : "Root causes:").ConfigureAwait(false);
        for (var i = 0; i < answer.RootCauses.Count; i++)
        {
            var c = answer.RootCauses[i];
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {i + 1}. {c.Urn}  confidence {c.Score:0.00}")).ConfigureAwait(false);
            foreach (var reason in c.Reasons)
            {
                await stdout.WriteLineAsync("     - " + reason).ConfigureAwait(false);
            }

            foreach (var e in c.Evidence.Take(3))
            {
                var values = e.Observed is { } o ? $": {Format.Number(o)}{(e.Expected is { } x ? $" (expected {Format.Number(x)})" : string.Empty)}" : string.Empty;
                await stdout.WriteLineAsync($"     evidence {e.Type} {e.Reference}{values}").ConfigureAwait(false);
            }
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync(answer.Actions.Count == 0 ? "Actions: none" : "Actions:").ConfigureAwait(false);
        foreach (var a in answer.Actions)
        {
            await stdout.WriteLineAsync($"  {Name(a.Action)} {a.Target} (risk {a.Risk}): {a.Rationale}").ConfigureAwait(false);
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync(answer.BlastRadius.Count == 0 ? "Blast radius: none known" : $"Blast radius ({answer.BlastRadius.Count}): {string.Join(", ", answer.BlastRadius.Take(10))}{(answer.BlastRadius.Count > 10 ? ", …" : string.Empty)}").ConfigureAwait(false);

        if (answer.Timeline.Count > 0)
        {
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteLineAsync("Timeline:").ConfigureAwait(false);
            var table = new TextTable("TIME", "KIND", "URN", "WHAT");
            foreach (var entry in answer.Timeline)
            {
                table.Add(Format.Time(entry.TimeUnixNano), entry.Kind, entry.Urn, HealthCommand.Short(entry.Summary, 90));
            }

            await table.WriteAsync(stdout).ConfigureAwait(false);
        }

        if (answer.NextChecks.Count > 0)
        {
            await stdout.WriteLineAsync().ConfigureAwait(false);
            await stdout.WriteLineAsync("Next checks:").ConfigureAwait(false);
            foreach (var check in answer.NextChecks)
            {
                await stdout.WriteLineAsync("  - " + check).ConfigureAwait(false);
            }
        }

        await stdout.WriteLineAsync().ConfigureAwait(false);
        await stdout.WriteLineAsync("Stakeholder update (draft):").ConfigureAwait(false);
        await stdout.WriteLineAsync("  " + answer.StakeholderUpdate).ConfigureAwait(false);
        foreach (var note in answer.Notes ?? [])
        {
            await stdout.WriteLineAsync("Note: " + note).ConfigureAwait(false);
        }
    }

    private static string Name(ActionType action) => action switch
    {
        ActionType.ScaleOut => "SCALE_OUT",
        _ => action.ToString().ToUpperInvariant(),
    };
}
