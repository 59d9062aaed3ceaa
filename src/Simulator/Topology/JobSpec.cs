namespace Autopilot.Simulator.Topology;

/// <summary>
/// A scheduled batch job reported through OpenLineage: it starts every <paramref name="Interval"/> (at
/// <paramref name="Offset"/> past each interval boundary), runs for about <paramref name="MedianDuration"/>, reads
/// <paramref name="Inputs"/> and writes <paramref name="Outputs"/> (START, then COMPLETE with the schema facets and
/// output statistics, or FAIL).
/// </summary>
public sealed record JobSpec(string Name, TimeSpan Interval, TimeSpan Offset, TimeSpan MedianDuration, IReadOnlyList<LineageDatasetSpec> Inputs, IReadOnlyList<LineageDatasetSpec> Outputs);
