namespace Autopilot.Engines.State;

/// <summary>
/// Where a page of incidents ended, in their listing order (updated time descending, then id ascending): the
/// next page starts with the first incident after (<paramref name="UpdatedUnixNano"/>, <paramref name="Id"/>).
/// Keyset rather than offset paging, so a page costs the same however deep the listing goes.
/// </summary>
public sealed record IncidentCursor(long UpdatedUnixNano, string Id)
{
    /// <summary>The filters a page token of an incident listing belongs to, as text (what must not change between pages).</summary>
    public static string Filters(long? from, long? to, Incidents.IncidentStatus? status) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{from}|{to}|{status}");
}
