using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>A schema field; <paramref name="Fields"/> holds nested fields of struct-like types.</summary>
public sealed record SchemaField(string Name, string? Type, string? Description, ImmutableArray<SchemaField> Fields);
