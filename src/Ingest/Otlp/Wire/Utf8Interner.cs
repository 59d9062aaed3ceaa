using System.Text;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// A bounded intern table looked up by UTF-8 bytes, so a value that was seen before costs no allocation: a
/// direct-mapped table of <see cref="Capacity"/> slots, each holding the last string that hashed to it (the
/// policy of <see cref="Normalization.StringInterner"/>). Longer values than <see cref="MaxBytes"/> are decoded
/// and never cached. Decoding is lenient as Google.Protobuf's is (invalid UTF-8 becomes U+FFFD). Races between
/// threads are benign: a slot always holds some complete string.
/// </summary>
internal sealed class Utf8Interner
{
    private readonly string?[] _slots;
    private readonly int _mask;

    public Utf8Interner(int capacity, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 0);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new string?[size];
        _mask = size - 1;
        MaxBytes = maxBytes;
    }

    public int Capacity => _slots.Length;

    public int MaxBytes { get; }

    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0)
        {
            return string.Empty;
        }

        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        ref var slot = ref _slots[(int)Utf8Hash.Compute(utf8) & _mask];
        var current = Volatile.Read(ref slot);
        if (current is not null && Utf8Text.Equals(utf8, current))
        {
            return current;
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref slot, value);
        return value;
    }
}
