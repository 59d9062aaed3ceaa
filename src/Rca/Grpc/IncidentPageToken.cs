using System.Globalization;
using System.Text;
using Autopilot.Engines.State;
using Autopilot.Ingest.Grpc;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// ListIncidents' opaque <c>page_token</c>: where the last page ended (updated time and id, see
/// <see cref="IncidentCursor"/>) and the filters it was listed with, base64url. A token used with other
/// filters would page through a different listing, so it is refused rather than silently misread.
/// </summary>
internal static class IncidentPageToken
{
    private const string Version = "v1";

    public static string Encode(IncidentCursor cursor, string filters) =>
        Base64Url(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Version}\n{cursor.UpdatedUnixNano}\n{filters}\n{cursor.Id}")));

    /// <summary>The cursor in <paramref name="token"/>; INVALID_ARGUMENT naming <c>page_token</c> when it is not one of ours or was made for other filters.</summary>
    public static IncidentCursor Decode(string token, string filters)
    {
        string text;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            throw NotOurs();
        }

        var parts = text.Split('\n', 4);
        if (parts.Length != 4 || parts[0] != Version || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var updated) || parts[3].Length == 0)
        {
            throw NotOurs();
        }

        if (parts[2] != filters)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, "page_token: was issued for other filters; keep from_unix_nano, to_unix_nano and status the same while paging, or start again without a token");
        }

        return new IncidentCursor(updated, parts[3]);
    }

    /// <summary>The filters a token belongs to, as text (the part of a request that must not change between pages).</summary>
    public static string Filters(long? from, long? to, Engines.Incidents.IncidentStatus? status) =>
        string.Create(CultureInfo.InvariantCulture, $"{from}|{to}|{status}");

    private static GrpcException NotOurs() =>
        new(GrpcStatusCode.InvalidArgument, "page_token: is not a token from ListIncidents' next_page_token");

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
