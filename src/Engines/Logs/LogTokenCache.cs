namespace Autopilot.Engines.Logs;

/// <summary>
/// Hands out one string per distinct token text, so tokenizing a line whose words were seen before allocates
/// nothing. Bounded: once <see cref="Capacity"/> distinct tokens are held it starts over, so a stream of
/// ever-new words (ids the masking did not catch) costs what it did without a cache. Not thread-safe: one per shard.
/// </summary>
internal sealed class LogTokenCache
{
    public const int DefaultCapacity = 4096;

    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public LogTokenCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lookup = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Capacity { get; }

    public string Get(ReadOnlySpan<char> text)
    {
        if (_lookup.TryGetValue(text, out var token))
        {
            return token;
        }

        if (_tokens.Count >= Capacity)
        {
            _tokens.Clear();
        }

        token = text.ToString();
        _tokens.Add(token, token);
        return token;
    }
}
