using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>The <c>schema</c> dataset facet.</summary>
/// <param name="Fields">Top-level fields in the order sent.</param>
/// <param name="Fingerprint">
/// A stable hash of field names and types (descriptions excluded, fields sorted by name at every level),
/// so a reordering is no drift but an added, removed or retyped field changes it.
/// </param>
public sealed record SchemaFacet(ImmutableArray<SchemaField> Fields, string Fingerprint);
