namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// A bounded, lock-free string cache: a direct-mapped table of <see cref="Capacity"/> slots, each holding
/// the last string that hashed to it. Repeated keys, names and URNs collapse to one instance, so signals
/// held in engine windows share them; a hostile stream of distinct strings only evicts slots, it never
/// grows memory beyond Capacity × <see cref="MaxLength"/> characters. Races between threads are benign:
/// a slot holds some complete immutable string, and a lost write only costs a later duplicate.
/// </summary>
internal sealed class StringInterner
{
    private readonly string?[] _slots;
    private readonly int _mask;

    /// <param name="capacity">Rounded up to a power of two.</param>
    /// <param name="maxLength">Longer strings are returned as they are (bodies, URLs, SQL).</param>
    public StringInterner(int capacity, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 24);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 0);
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new string?[size];
        _mask = size - 1;
        MaxLength = maxLength;
    }

    public int Capacity => _slots.Length;

    public int MaxLength { get; }

    public string Intern(string value)
    {
        if (value.Length > MaxLength)
        {
            return value;
        }

        if (value.Length == 0)
        {
            return string.Empty;
        }

        var slot = string.GetHashCode(value.AsSpan(), StringComparison.Ordinal) & _mask;
        var current = Volatile.Read(ref _slots[slot]);
        if (current is not null && string.Equals(current, value, StringComparison.Ordinal))
        {
            return current;
        }

        Volatile.Write(ref _slots[slot], value);
        return value;
    }
}
