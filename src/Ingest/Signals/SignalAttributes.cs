using System.Runtime.CompilerServices;

namespace Autopilot.Ingest.Signals;

/// <summary>
/// Immutable attribute list of a signal: parallel arrays of interned keys and string values
/// (numbers and booleans in invariant culture). Lookup is linear: signals carry a handful of
/// attributes, and a scan over interned keys beats hashing at that size.
/// </summary>
/// <remarks>
/// A value type holding the two arrays, so a signal carries its key array itself: an engine that only asks which keys a
/// signal has (by the key array's identity) never loads a per-signal object, and a decoder allocates one object less per
/// signal. <c>default</c> is the empty list. Two lists are equal when they share both arrays (the same list, copied), as a
/// reference compare of the earlier class was.
/// </remarks>
public readonly struct SignalAttributes : IEquatable<SignalAttributes>
{
    private static readonly string[] s_none = [];

    public static readonly SignalAttributes Empty = new(s_none, s_none);

    private readonly string[]? _keys;
    private readonly string[]? _values;

    public SignalAttributes(string[] keys, string[] values)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(values);
        if (keys.Length != values.Length)
        {
            throw new ArgumentException($"keys ({keys.Length}) and values ({values.Length}) differ in length.", nameof(values));
        }

        _keys = keys;
        _values = values;
    }

    public int Count => _keys is null ? 0 : _keys.Length;

    public string KeyAt(int index) => Keys[index];

    public string ValueAt(int index) => Values[index];

    private string[] Keys => _keys ?? s_none;

    private string[] Values => _values ?? s_none;

    /// <summary>A copy of the values, to change some of them (redaction).</summary>
    internal string[] CopyValues() => (string[])Values.Clone();

    /// <summary>
    /// The key array, for identity checks only (callers never change it): signals with the same keys in the same order
    /// share one array (the wire reader's key-array cache), so a decision about all keys can be remembered by it.
    /// </summary>
    internal string[] KeyArray => Keys;

    /// <summary>
    /// Whether <paramref name="other"/> shares this list's key array: then both have the same keys in the same order
    /// (signals of one shape from the wire reader share it). False says nothing: equal keys can sit in separate arrays.
    /// </summary>
    public bool SharesKeysWith(SignalAttributes other) => ReferenceEquals(Keys, other.Keys);

    /// <summary>The same keys with other values (the keys array is shared: both lists are immutable).</summary>
    internal SignalAttributes WithValues(string[] values) => new(Keys, values);

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public string? Get(string key)
    {
        var keys = _keys;
        if (keys is null)
        {
            return null;
        }

        for (var i = 0; i < keys.Length; i++)
        {
            if (string.Equals(keys[i], key, StringComparison.Ordinal))
            {
                return _values![i];
            }
        }

        return null;
    }

    /// <summary>Whether both are the same list: the same key array and the same value array (not a comparison of texts).</summary>
    public bool Equals(SignalAttributes other) => ReferenceEquals(Keys, other.Keys) && ReferenceEquals(Values, other.Values);

    public override bool Equals(object? obj) => obj is SignalAttributes other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(RuntimeHelpers.GetHashCode(Keys), RuntimeHelpers.GetHashCode(Values));

    public static bool operator ==(SignalAttributes left, SignalAttributes right) => left.Equals(right);

    public static bool operator !=(SignalAttributes left, SignalAttributes right) => !left.Equals(right);
}
