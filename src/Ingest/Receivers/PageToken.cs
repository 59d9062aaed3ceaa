using System.Globalization;
using System.Text;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// An opaque token for keyset paging: where the last page ended (a time and an id, the listing's order) and the filters
/// it was listed with, base64url. A token used with other filters would page through a different listing, so decoding
/// it against them fails rather than misreading it. Used by <c>GET /api/findings</c>, <c>GET /api/incidents</c>
/// (<c>after</c> / <c>next</c>), <c>GET /api/assets</c> and gRPC ListIncidents (<c>page_token</c>).
/// </summary>
public static class PageToken
{
    private const string Version = "v1";

    public static string Encode(long time, string id, string filters)
    {
        var bytes = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}\n{time}\n{filters}\n{id}"));
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads <paramref name="token"/> made with <paramref name="filters"/>; what is wrong with it otherwise.</summary>
    public static PageTokenResult Decode(string token, string filters, out long time, out string id)
    {
        ArgumentNullException.ThrowIfNull(token);
        (time, id) = (0, string.Empty);
        string text;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return PageTokenResult.NotOurs;
        }

        var parts = text.Split('\n', 4);
        if (parts.Length != 4 || parts[0] != Version || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out time) || parts[3].Length == 0)
        {
            return PageTokenResult.NotOurs;
        }

        if (parts[2] != filters)
        {
            return PageTokenResult.OtherFilters;
        }

        id = parts[3];
        return PageTokenResult.Ok;
    }

    /// <summary>
    /// Reads a REST list's <c>after</c> (a <c>next</c> it answered before); otherwise the 400's message: not one of ours,
    /// or made for other filters (<paramref name="kept"/> names the parameters that must stay the same).
    /// </summary>
    public static bool TryRead(string after, string filters, string kept, out long time, out string id, out string? error)
    {
        error = Decode(after, filters, out time, out id) switch
        {
            PageTokenResult.Ok => null,
            PageTokenResult.OtherFilters => $"after '{after}' was issued for other filters; keep {kept} the same while paging, or start again without after",
            _ => $"after '{after}' is not a token from this list's next",
        };
        return error is null;
    }
}

/// <summary>What <see cref="PageToken.Decode"/> found.</summary>
public enum PageTokenResult
{
    Ok,

    /// <summary>Not a token this API made (or damaged).</summary>
    NotOurs,

    /// <summary>Made for a listing with other filters.</summary>
    OtherFilters,
}
