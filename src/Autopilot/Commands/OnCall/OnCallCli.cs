using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Autopilot.Engines.State;

namespace Autopilot.Host.Commands.OnCall;

/// <summary>Exit codes shared by the on-call commands (README, "CLI").</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The answer is bad news: open incidents, an SLO policy firing, a canary to roll back.</summary>
    public const int Alert = 1;

    public const int Usage = 2;

    /// <summary>Canary gate only: not enough evidence yet; hold the rollout.</summary>
    public const int Hold = 3;

    /// <summary>The server or Prometheus could not be reached or answered an error.</summary>
    public const int Unavailable = 4;
}

/// <summary>A data source (Autopilot's API or Prometheus) failed; the message names it and the reason.</summary>
internal sealed class SourceException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The options every on-call command takes: which server, which token, table or JSON.</summary>
internal sealed class OnCallOptions
{
    public Option<string> Server { get; } = new("--server")
    {
        Description = "Autopilot's HTTP address. Also AUTOPILOT_SERVER.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("AUTOPILOT_SERVER") is { Length: > 0 } s ? s : "http://127.0.0.1:4318",
    };

    public Option<string?> Token { get; } = new("--token") { Description = "Bearer token for the API. Also AUTOPILOT_TOKEN." };

    public Option<string> Output { get; } = new("--output") { Description = "table (default) or json.", DefaultValueFactory = _ => "table" };

    public void AddTo(Command command)
    {
        command.Options.Add(Server);
        command.Options.Add(Token);
        command.Options.Add(Output);
        Output.AcceptOnlyFromAmong("table", "json");
        Server.Validators.Add(r => HttpAddress.Validate(r, "--server"));
    }

    public bool Json(ParseResult parse) => parse.GetValue(Output) == "json";

    public ServerApi Connect(ParseResult parse) =>
        new(HttpAddress.Parse(parse.GetValue(Server)!), parse.GetValue(Token) ?? NullIfEmpty(Environment.GetEnvironmentVariable("AUTOPILOT_TOKEN")));

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>http(s) addresses given on the command line (System.CommandLine has no URI parser).</summary>
internal static class HttpAddress
{
    public static Uri Parse(string text) => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        ? uri
        : throw new ArgumentException($"'{text}' is not an http:// or https:// address");

    public static void Validate(System.CommandLine.Parsing.OptionResult result, string name)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (text is not null && !(Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            result.AddError($"{name} '{text}' is not an http:// or https:// address");
        }
    }
}

/// <summary>Reads Autopilot's REST API; every failure becomes a <see cref="SourceException"/> naming the URL.</summary>
internal sealed class ServerApi(Uri server, string? token) : IDisposable
{
    /// <summary>The most items <see cref="ListAsync"/> reads of one list.</summary>
    public const int MaxListed = 100_000;

    private readonly HttpClient _http = Create(server, token);

    public Uri Server { get; } = server;

    /// <summary>GETs <paramref name="pathAndQuery"/> as JSON; null when the server answers 404 and <paramref name="allowMissing"/>.</summary>
    public async Task<JsonElement?> GetAsync(string pathAndQuery, CancellationToken cancellationToken, bool allowMissing = false)
    {
        var uri = new Uri(Server, pathAndQuery);
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new SourceException($"cannot reach Autopilot at {Server}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new SourceException($"Autopilot at {Server} did not answer GET {pathAndQuery} within {_http.Timeout.TotalSeconds:0} s", e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (allowMissing && response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new SourceException($"Autopilot answered GET {pathAndQuery} with {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(body)}");
            }

            try
            {
                using var doc = JsonDocument.Parse(body);
                return doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new SourceException($"Autopilot answered GET {pathAndQuery} with something that is not JSON: {Shorten(body)}", e);
            }
        }
    }

    /// <summary>
    /// A list endpoint's items, every page of it: while a page carries <c>next</c>, the same query continues with
    /// <c>after</c>, up to <see cref="MaxListed"/> items (a fleet can have more assets or findings than one page holds).
    /// </summary>
    public async Task<List<T>> ListAsync<T>(string pathAndQuery, string property, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        var path = pathAndQuery;
        while (true)
        {
            var root = await GetAsync(path, cancellationToken).ConfigureAwait(false);
            if (root is not { } r || !r.TryGetProperty(property, out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new SourceException($"Autopilot's GET {path} has no '{property}' list");
            }

            all.AddRange(items.Deserialize<List<T>>(EngineJson.Options) ?? []);
            if (all.Count >= MaxListed || !r.TryGetProperty("next", out var next) || next.ValueKind != JsonValueKind.String)
            {
                return all;
            }

            path = pathAndQuery + (pathAndQuery.Contains('?', StringComparison.Ordinal) ? "&after=" : "?after=") + Uri.EscapeDataString(next.GetString()!);
        }
    }

    public void Dispose() => _http.Dispose();

    internal static string Shorten(string text) => text.Length <= 200 ? text.Trim() : text[..200].Trim() + "…";

    private static HttpClient Create(Uri server, string? token)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(15) };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }
}

/// <summary>Plain-text tables with aligned columns, for people reading a terminal.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    public int Count => _rows.Count;

    public void Add(params string[] cells) => _rows.Add(cells);

    public async Task WriteAsync(TextWriter writer)
    {
        var widths = headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < widths.Length && i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        await writer.WriteLineAsync(Line(headers, widths)).ConfigureAwait(false);
        foreach (var row in _rows)
        {
            await writer.WriteLineAsync(Line(row, widths)).ConfigureAwait(false);
        }
    }

    private static string Line(string[] cells, int[] widths)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < widths.Length; i++)
        {
            var cell = i < cells.Length ? cells[i] : string.Empty;
            sb.Append(i == widths.Length - 1 ? cell : cell.PadRight(widths[i] + 2));
        }

        return sb.ToString().TrimEnd();
    }
}

internal static class Format
{
    public static string Time(long unixNano) =>
        unixNano <= 0 ? "-" : DateTimeOffset.FromUnixTimeMilliseconds(unixNano / 1_000_000).ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double value, string format = "0.##") =>
        double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    public static string Percent(double ratio) => double.IsFinite(ratio) ? (ratio * 100).ToString("0.###", CultureInfo.InvariantCulture) + "%" : "-";

    public static JsonSerializerOptions Json { get; } = new(EngineJson.Options) { WriteIndented = true };
}
