using System.Globalization;
using System.Text.Json;
using Autopilot.Engines.State;
using Autopilot.Ingest.Receivers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Autopilot.Rca.Api;

/// <summary>
/// <c>GET /api/incidents/{id}/explain</c> and <c>POST /api/rca/analyze</c> (body <c>{"from", "to", "urn"?}</c>).
/// Both take <c>?explainer=auto|rules|llm</c> and <c>?prompt=true</c> (return the LLM prompt instead of sending
/// it). Answers are <see cref="Answers.RcaAnswer"/> in the JSON shape of the other engine endpoints (camelCase,
/// enums in snake_case); errors are <c>{"code", "message"}</c> with 400 naming the bad fields, 404 for an unknown incident.
/// </summary>
public static class RcaEndpoints
{
    public static IEndpointRouteBuilder MapRca(this IEndpointRouteBuilder app, RcaAnalyzer analyzer)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(analyzer);
        app.MapGet("/api/incidents/{id}/explain", async (string id, string? explainer, string? prompt, CancellationToken cancellationToken) =>
        {
            if (!TryChoice(explainer, analyzer, out var choice, out var error) || !TryFlag(prompt, "prompt", out var printPrompt, out error))
            {
                return BadRequest(error);
            }

            if (printPrompt)
            {
                return analyzer.IncidentPrompt(id) is { } p ? Results.Json(p, EngineJson.Options) : NotFound(id);
            }

            var answer = await analyzer.ExplainIncidentAsync(id, choice, cancellationToken).ConfigureAwait(false);
            return answer is null ? NotFound(id) : Results.Json(answer, EngineJson.Options);
        });
        app.MapPost("/api/rca/analyze", async (HttpRequest request, string? explainer, string? prompt, CancellationToken cancellationToken) =>
        {
            if (!TryChoice(explainer, analyzer, out var choice, out var error) || !TryFlag(prompt, "prompt", out var printPrompt, out error))
            {
                return BadRequest(error);
            }

            var (window, problem) = await ReadWindowAsync(request, analyzer.Options.MaxWindow, cancellationToken).ConfigureAwait(false);
            if (problem is not null)
            {
                return BadRequest(problem);
            }

            return printPrompt
                ? Results.Json(analyzer.WindowPrompt(window.From, window.To, window.Urn), EngineJson.Options)
                : Results.Json(await analyzer.AnalyzeWindowAsync(window.From, window.To, window.Urn, choice, cancellationToken).ConfigureAwait(false), EngineJson.Options);
        }).RequireRole(AccessRole.Read); // a query with a body: reading, not changing anything
        return app;
    }

    internal static async Task<((long From, long To, string? Urn) Window, string? Problem)> ReadWindowAsync(HttpRequest request, TimeSpan maxWindow, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return (default, "the body must be a JSON object {\"from\": <time>, \"to\": <time>, \"urn\": <optional URN>} sent as application/json");
        }

        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            return (default, $"the body is not JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (default, "the body must be a JSON object {\"from\": <time>, \"to\": <time>, \"urn\": <optional URN>}");
            }

            var problems = new List<string>();
            foreach (var p in root.EnumerateObject())
            {
                if (p.Name is not ("from" or "to" or "urn"))
                {
                    problems.Add($"{p.Name}: unknown field (expected from, to, urn)");
                }
            }

            var from = Time(root, "from", problems);
            var to = Time(root, "to", problems);
            string? urn = null;
            if (root.TryGetProperty("urn", out var u) && u.ValueKind != JsonValueKind.Null)
            {
                urn = u.ValueKind == JsonValueKind.String ? u.GetString() : null;
                if (urn is null || !urn.StartsWith("urn:autopilot:", StringComparison.Ordinal) || urn.Split(':').Length < 5)
                {
                    problems.Add($"urn: {(u.ValueKind == JsonValueKind.String ? $"'{urn}'" : u.GetRawText())} is not an Autopilot URN (urn:autopilot:<kind>:<namespace>:<name>)");
                }
            }

            if (from is { } f && to is { } t)
            {
                if (t < f)
                {
                    problems.Add("to: is before from");
                }
                else if (t - f > maxWindow.Ticks * 100)
                {
                    problems.Add($"to: the window from 'from' to 'to' is longer than the {maxWindow.TotalDays:0.##}-day limit");
                }
            }

            return problems.Count > 0 ? (default, string.Join("; ", problems)) : ((from!.Value, to!.Value, urn), null);
        }
    }

    /// <summary>RFC 3339 text, or Unix milliseconds as a number or digits (as the other endpoints take them).</summary>
    private static long? Time(JsonElement root, string name, List<string> problems)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            problems.Add($"{name}: required (RFC 3339 time such as 2026-11-22T10:00:00Z, or Unix milliseconds)");
            return null;
        }

        string? problem = null;
        if (e.ValueKind == JsonValueKind.Number)
        {
            if (e.TryGetInt64(out var ms) && QueryParameters.TryMilliseconds(ms, out var fromNumber, out problem))
            {
                return fromNumber;
            }

            problem ??= "is not a whole number of Unix milliseconds";
        }
        else if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } text)
        {
            if (QueryParameters.TryTime(text, out var fromText, out problem))
            {
                return fromText;
            }
        }
        else
        {
            problem = QueryParameters.NotATime;
        }

        problems.Add($"{name}: {e.GetRawText()} {problem}");
        return null;
    }

    private static bool TryChoice(string? text, RcaAnalyzer analyzer, out RcaExplainerChoice choice, out string? error)
    {
        error = null;
        choice = text?.ToLowerInvariant() switch
        {
            null or "" or "auto" => RcaExplainerChoice.Auto,
            "rules" => RcaExplainerChoice.Rules,
            "llm" => RcaExplainerChoice.Llm,
            _ => (RcaExplainerChoice)(-1),
        };
        if ((int)choice < 0)
        {
            error = $"explainer '{text}' is not one of auto, rules, llm";
            return false;
        }

        if (choice == RcaExplainerChoice.Llm && !analyzer.LlmConfigured)
        {
            error = "explainer=llm: no LLM is configured on this server (serve --llm-provider anthropic|openai, or ANTHROPIC_API_KEY / AUTOPILOT_LLM_BASE_URL)";
            return false;
        }

        return true;
    }

    private static bool TryFlag(string? text, string name, out bool value, out string? error)
    {
        error = null;
        value = false;
        switch (text?.ToLowerInvariant())
        {
            case null or "" or "false" or "0":
                return true;
            case "true" or "1":
                value = true;
                return true;
            default:
                error = $"{name} '{text}' is not true or false";
                return false;
        }
    }

    private static IResult BadRequest(string? message) =>
        Results.Json(new { code = 400, message }, EngineJson.Options, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string id) =>
        Results.Json(new { code = 404, message = $"no incident '{id}'" }, EngineJson.Options, statusCode: StatusCodes.Status404NotFound);
}
