namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>The schema languages the gate compares.</summary>
public enum SchemaFormat
{
    /// <summary>Apache Avro (<c>.avsc</c>).</summary>
    Avro,

    /// <summary>JSON Schema, draft-07 data subset (<c>.schema.json</c>, <c>.json</c>).</summary>
    JsonSchema,

    /// <summary>Protocol Buffers (<c>.proto</c>, proto2 and proto3).</summary>
    Protobuf,
}
