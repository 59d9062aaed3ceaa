using Autopilot.Engines.State;
using Autopilot.Ingest.Grpc;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// ListIncidents' opaque <c>page_token</c>: where the last page ended (updated time and id, see
/// <see cref="IncidentCursor"/>) and the filters it was listed with, base64url. A token used with other
/// filters would page through a different listing, so it is refused rather than silently misread.
/// </summary>
internal static class IncidentPageToken
{
    public static string Encode(IncidentCursor cursor, string filters) => PageToken.Encode(cursor.UpdatedUnixNano, cursor.Id, filters);

    /// <summary>The cursor in <paramref name="token"/>; INVALID_ARGUMENT naming <c>page_token</c> when it is not one of ours or was made for other filters.</summary>
    public static IncidentCursor Decode(string token, string filters) => PageToken.Decode(token, filters, out var updated, out var id) switch
    {
        PageTokenResult.Ok => new IncidentCursor(updated, id),
        PageTokenResult.OtherFilters => throw new GrpcException(GrpcStatusCode.InvalidArgument, "page_token: was issued for other filters; keep from_unix_nano, to_unix_nano and status the same while paging, or start again without a token"),
        _ => throw new GrpcException(GrpcStatusCode.InvalidArgument, "page_token: is not a token from ListIncidents' next_page_token"),
    };
}
