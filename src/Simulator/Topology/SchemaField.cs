namespace Autopilot.Simulator.Topology;

/// <summary>A column of a dataset's OpenLineage schema facet.</summary>
public sealed record SchemaField(string Name, string Type);
