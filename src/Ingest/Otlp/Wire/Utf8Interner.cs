using System.Text;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// A bounded intern table looked up by UTF-8 bytes, so a value that was seen before costs no allocation: a
/// direct-mapped table of <see cref="Capacity"/> slots, each holding the last string that hashed to it (the
/// policy of <see cref="Normalization.StringInterner"/>) and its hash, which turns away almost every miss before a
/// comparison. Longer values than <see cref="MaxBytes"/> are decoded and never cached. Decoding is lenient as
/// Google.Protobuf's is (invalid UTF-8 becomes U+FFFD). Races between threads are benign: a slot's string is always
/// complete, and the hash only filters (a string is returned only after a full comparison).
/// </summary>
internal sealed class Utf8Interner
{
    // A slot's string and its hash side by side, so a probe reads one cache line, not one in each of two arrays.
    private readonly Entry[] _entries;
    private readonly int _mask;

    public Utf8Interner(int capacity, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 0);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _entries = new Entry[size];
        _mask = size - 1;
        MaxBytes = maxBytes;
    }

    public int Capacity => _entries.Length;

    public int MaxBytes { get; }

    public string Intern(ReadOnlySpan<byte> utf8) => Intern(utf8, out _);

    /// <summary>The string of <paramref name="utf8"/>; <paramref name="hit"/> says whether it came from the table (no allocation).</summary>
    public string Intern(ReadOnlySpan<byte> utf8, out bool hit)
    {
        hit = false;
        if (utf8.Length == 0)
        {
            hit = true;
            return string.Empty;
        }

        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = Utf8Hash.Compute(utf8);
        ref var entry = ref _entries[(int)hash & _mask];
        if (Volatile.Read(ref entry.Hash) == hash && Volatile.Read(ref entry.Text) is { } current && Utf8Text.Equals(utf8, current))
        {
            hit = true;
            return current;
        }

        var value = Encoding.UTF8.GetString(utf8);
        Volatile.Write(ref entry.Text, value);
        Volatile.Write(ref entry.Hash, hash);
        return value;
    }

    private struct Entry
    {
        public string? Text;
        public uint Hash;
    }
}
