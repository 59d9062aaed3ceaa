using System.Collections.Concurrent;

namespace Autopilot.Engines.Anomaly;

/// <summary>Bad and total spans of an SLO target over one window, and the burn rate they give.</summary>
public sealed record SloWindowStatus(string Window, long Bad, long Total, double BurnRate);

/// <summary>
/// Where an SLO target stands at the last event-time minute its shard closed: burn rates over the standard
/// windows, the policies firing, and the share of the period's error budget spent over the last 3 days.
/// </summary>
public sealed record SloStatus(
    string Slo,
    string Urn,
    double Objective,
    long AsOfUnixNano,
    IReadOnlyList<SloWindowStatus> Windows,
    IReadOnlyList<string> Firing,
    double BudgetConsumed3d);

/// <summary>
/// The latest <see cref="SloStatus"/> of every (SLO, URN) target, written by the <c>slo.burn</c> engines of
/// all shards and read by <c>GET /api/slo</c> and <c>autopilot slo</c>. Thread-safe; one entry per target.
/// </summary>
public sealed class SloStatusBoard
{
    private readonly ConcurrentDictionary<(string Slo, string Urn), SloStatus> _statuses = new();

    public int Count => _statuses.Count;

    public void Publish(SloStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        _statuses.AddOrUpdate((status.Slo, status.Urn), status, (_, old) => status.AsOfUnixNano >= old.AsOfUnixNano ? status : old);
    }

    /// <summary>Every target, optionally only those whose SLO name or URN equals <paramref name="filter"/>, by SLO then URN.</summary>
    public IReadOnlyList<SloStatus> Snapshot(string? filter = null) =>
        [.. _statuses.Values
            .Where(s => filter is null || string.Equals(s.Slo, filter, StringComparison.Ordinal) || string.Equals(s.Urn, filter, StringComparison.Ordinal))
            .OrderBy(s => s.Slo, StringComparer.Ordinal).ThenBy(s => s.Urn, StringComparer.Ordinal)];
}
