namespace Autopilot.Ingest.Signals;

/// <summary>
/// One key looked up in the attributes of signal after signal: remembers where the key sits in the last key array seen,
/// so a run of signals of one shape (which share their key array, <see cref="SignalAttributes.SharesKeysWith"/>) pays
/// one reference compare instead of a scan over every key. Another array is scanned as <see cref="SignalAttributes.Get"/>
/// does. For one reader at a time (an engine's own instance).
/// </summary>
public sealed class AttributeLookup(string key)
{
    private string[]? _keys;
    private int _index = -1;

    public string Key { get; } = key ?? throw new ArgumentNullException(nameof(key));

    /// <summary>The value of <see cref="Key"/> in <paramref name="attributes"/>, or null when absent.</summary>
    public string? Get(SignalAttributes attributes)
    {
        var keys = attributes.KeyArray;
        if (!ReferenceEquals(keys, _keys))
        {
            _index = Array.IndexOf(keys, Key); // by text (string's ordinal equality), as Get compares
            _keys = keys;
        }

        return _index < 0 ? null : attributes.ValueAt(_index);
    }
}
