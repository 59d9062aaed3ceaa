namespace Autopilot.Ingest.Signals;

/// <summary>
/// Immutable attribute list of a signal: parallel arrays of interned keys and string values
/// (numbers and booleans in invariant culture). Lookup is linear: signals carry a handful of
/// attributes, and a scan over interned keys beats hashing at that size.
/// </summary>
public sealed class SignalAttributes
{
    public static readonly SignalAttributes Empty = new([], []);

    private readonly string[] _keys;
    private readonly string[] _values;

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

    public int Count => _keys.Length;

    public string KeyAt(int index) => _keys[index];

    public string ValueAt(int index) => _values[index];

    /// <summary>A copy of the values, to change some of them (redaction).</summary>
    internal string[] CopyValues() => (string[])_values.Clone();

    /// <summary>
    /// The key array, for identity checks only (callers never change it): signals with the same keys in the same order
    /// share one array (the wire reader's key-array cache), so a decision about all keys can be remembered by it.
    /// </summary>
    internal string[] KeyArray => _keys;

    /// <summary>
    /// Whether <paramref name="other"/> shares this list's key array: then both have the same keys in the same order
    /// (signals of one shape from the wire reader share it). False says nothing: equal keys can sit in separate arrays.
    /// </summary>
    public bool SharesKeysWith(SignalAttributes other) => ReferenceEquals(_keys, other?._keys);

    /// <summary>The same keys with other values (the keys array is shared: both lists are immutable).</summary>
    internal SignalAttributes WithValues(string[] values) => new(_keys, values);

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public string? Get(string key)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                return _values[i];
            }
        }

        return null;
    }
}
