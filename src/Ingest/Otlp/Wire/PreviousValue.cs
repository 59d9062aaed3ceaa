namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// The value an item had at one attribute position and the string it rendered to (see
/// <see cref="WireAttributeBuilder.RecallValue"/>): a string's bytes copied into a buffer reused across items, or an
/// integer's or double's bits.
/// </summary>
internal struct PreviousValue
{
    public WireValueCase Case;
    public ulong Bits;
    public byte[]? Bytes;
    public int Length;

    /// <summary>Null when nothing is remembered at this position.</summary>
    public string? Text;

    /// <summary>Whether no value rule of the redactor changes <see cref="Text"/> (false when it does, or was not asked).</summary>
    public bool Clean;
}
