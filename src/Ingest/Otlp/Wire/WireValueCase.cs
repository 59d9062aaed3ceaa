namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>The oneof member of an AnyValue (field numbers as in common.proto).</summary>
internal enum WireValueCase : byte
{
    None = 0,
    String = 1,
    Bool = 2,
    Int = 3,
    Double = 4,
    Array = 5,
    KeyValueList = 6,
    Bytes = 7,
}
