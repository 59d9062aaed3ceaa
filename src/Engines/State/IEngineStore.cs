using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;

namespace Autopilot.Engines.State;

/// <summary>
/// Where engine state lives: per-shard snapshots, findings and incidents. SQLite (one file under the data
/// directory) by default, PostgreSQL when configured. Implementations are safe to call from several
/// shard tasks at once.
/// </summary>
public interface IEngineStore : IDisposable
{
    /// <summary>The latest snapshot of a shard and the log position it covers, or null.</summary>
    ShardSnapshot? LoadSnapshot(int shard);

    void SaveSnapshot(ShardSnapshot snapshot);

    /// <summary>
    /// Saves <paramref name="data"/> as the snapshot of <paramref name="shard"/> and is done with the memory when it
    /// returns: a shard writes every snapshot into the same buffer, so a store that writes the bytes straight from
    /// it spares a copy of the whole state per snapshot. The default copies them into a <see cref="ShardSnapshot"/>.
    /// </summary>
    void SaveSnapshot(int shard, long lsn, ReadOnlyMemory<byte> data) => SaveSnapshot(new ShardSnapshot(shard, lsn, data.ToArray()));

    /// <summary>
    /// Inserts or updates findings (same id: a repeat) and the incidents they changed in one transaction, so
    /// a reader never sees a finding whose incident does not list it yet. An incident is written whole or as what it
    /// gained (<see cref="IncidentWrite"/>); reads always return whole incidents, the timeline in time order (ties in
    /// the order written) and the finding ids in the order written.
    /// </summary>
    void Commit(IReadOnlyList<Finding> findings, IReadOnlyList<IncidentWrite> incidents);

    /// <summary>Inserts findings or updates them (same id: a repeat).</summary>
    void UpsertFindings(IReadOnlyList<Finding> findings) => Commit(findings, []);

    IReadOnlyList<Finding> QueryFindings(FindingQuery query);

    /// <summary>The findings with these ids that are stored, in no particular order (the correlator restoring open incidents).</summary>
    IReadOnlyList<Finding> GetFindings(IReadOnlyCollection<string> ids);

    /// <summary>Inserts incidents or replaces them (same id), each whole.</summary>
    void UpsertIncidents(IReadOnlyList<Incident> incidents) => Commit([], [.. incidents.Select(IncidentWrite.Whole)]);

    IReadOnlyList<Incident> QueryIncidents(IncidentQuery query);

    Incident? GetIncident(string id);

    /// <summary>
    /// Deletes the incidents resolved before <paramref name="cutoffUnixNano"/> (event time) with their timelines, finding
    /// lists and findings (not one a later incident listed since: it goes with that one), a few at a time (each batch its own transaction, so writers wait
    /// for one batch, not for all of it). Open incidents and their findings stay, however old. Engine retention
    /// (<c>engines.retention</c>) calls it.
    /// </summary>
    StoreDeletion DeleteBefore(long cutoffUnixNano);
}

/// <summary>What <see cref="IEngineStore.DeleteBefore"/> deleted.</summary>
public readonly record struct StoreDeletion(long Incidents, long Findings)
{
    public static StoreDeletion operator +(StoreDeletion a, StoreDeletion b) => new(a.Incidents + b.Incidents, a.Findings + b.Findings);
}

/// <summary>A shard's engine state as bytes, and the largest log position whose signals it includes.</summary>
public sealed record ShardSnapshot(int Shard, long Lsn, byte[] Data);

/// <summary>
/// Filters for findings; times are Unix nanoseconds, inclusive. Results come earliest first, then by id;
/// <paramref name="After"/> continues a listing after the last finding of a page. <paramref name="ExceptIncident"/> leaves out
/// the findings that incident was the last to list (a finding written before the store recorded owners, or listed by a
/// later incident since, is not left out: a caller that must skip all of an incident's findings checks its ids too).
/// </summary>
public sealed record FindingQuery(long? From = null, long? To = null, string? Urn = null, string? Engine = null, int Limit = 1000, FindingCursor? After = null, string? ExceptIncident = null);

/// <summary>Where a page of findings ended, in their listing order (time, then id): the next page starts after it.</summary>
public sealed record FindingCursor(long TimeUnixNano, string Id);

/// <summary>
/// Filters for incidents by last update time; times are Unix nanoseconds, inclusive. Results come most recently
/// updated first, then by id; <paramref name="After"/> continues a listing after the last incident of a page.
/// </summary>
public sealed record IncidentQuery(long? From = null, long? To = null, IncidentStatus? Status = null, int Limit = 1000, IncidentCursor? After = null);
