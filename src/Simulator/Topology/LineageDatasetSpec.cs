namespace Autopilot.Simulator.Topology;

/// <summary>
/// A dataset as OpenLineage names it (namespace + name) with its schema. The <c>orders</c> table uses the
/// namespace <c>postgresql/shop</c>, so its URN is the same one the server derives from the checkout service's
/// database spans: the service graph and the lineage graph meet there.
/// </summary>
public sealed record LineageDatasetSpec(string Namespace, string Name, IReadOnlyList<SchemaField> Fields);
