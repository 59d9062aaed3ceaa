using System.Text;
using Autopilot.Ingest.Otlp.Normalization;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// Attribute keys by their UTF-8 bytes: a bounded direct-mapped table (as <see cref="Utf8Interner"/>) whose
/// entries also carry the key's <see cref="WellKnownAttribute"/>, so the decoder classifies a key once per table
/// entry rather than once per attribute. Keys come from a small vocabulary, so after warm-up nearly every lookup
/// is a hit and allocates nothing. Thread-safe: a slot always holds a complete entry, compared in full before use.
/// </summary>
internal sealed class AttributeKeyTable
{
    private static readonly AttributeKey Empty = new(string.Empty, WellKnownAttribute.None, 0, []);

    private readonly AttributeKey?[] _slots;
    private readonly int _mask;
    private readonly int _maxBytes;

    public AttributeKeyTable(int capacity, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new AttributeKey?[size];
        _mask = size - 1;
        _maxBytes = maxBytes;
    }

    public AttributeKey Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return Empty;
        }

        var hash = Utf8Hash.Compute(utf8);
        if (utf8.Length > _maxBytes)
        {
            var text = Encoding.UTF8.GetString(utf8);
            return new AttributeKey(text, WellKnownAttributes.Classify(text), hash, utf8.ToArray());
        }

        ref var slot = ref _slots[(int)hash & _mask];
        var current = Volatile.Read(ref slot);
        if (current is not null && current.Hash == hash && Utf8Text.Equals(utf8, current.Text))
        {
            return current;
        }

        var key = Encoding.UTF8.GetString(utf8);
        var entry = new AttributeKey(key, WellKnownAttributes.Classify(key), hash, utf8.ToArray());
        Volatile.Write(ref slot, entry);
        return entry;
    }
}
