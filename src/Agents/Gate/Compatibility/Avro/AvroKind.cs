namespace Autopilot.Agents.Gate.Compatibility.Avro;

/// <summary>Avro's schema types (Avro 1.11 specification, "Schema Declaration").</summary>
internal enum AvroKind
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Fixed,
    Union,
}
