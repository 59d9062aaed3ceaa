using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Lineage;

/// <summary>A dataset in one lineage event: which one, the schema it has in this run, and the rows written (outputs of a completed run).</summary>
internal sealed record LineageDataset(LineageDatasetSpec Spec, IReadOnlyList<SchemaField> Fields, long? RowCount);
