namespace Autopilot.Engines.Contracts;

/// <summary>
/// Service levels of a contract: data at most <see cref="Freshness"/> old, and at least <see cref="VolumeMin"/>
/// rows (summed <c>lineage.row_count</c>) per <see cref="VolumePer"/> of event time. Null means not set.
/// </summary>
public sealed record ContractSla(TimeSpan? Freshness, long? VolumeMin, TimeSpan? VolumePer);
