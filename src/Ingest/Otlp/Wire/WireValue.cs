namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// An attribute's AnyValue as read from the wire, after every occurrence of the KeyValue's value field (protobuf
/// merges repeated occurrences of a message field, so the last oneof member set wins): its case and, for
/// primitives, the value (scalars in <see cref="Bits"/>, strings and bytes as a slice of the request).
/// </summary>
internal ref struct WireValue
{
    public WireValueCase Case;
    public ulong Bits;
    public ReadOnlySpan<byte> Bytes;
}
