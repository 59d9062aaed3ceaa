namespace Autopilot.Engines.Anomaly;

/// <summary>Builds series keys in a reused buffer so that a lookup of a known series allocates nothing.</summary>
internal sealed class KeyBuilder
{
    /// <summary>Longer keys are cut: series still differ by URN and name, and memory stays bounded.</summary>
    public const int MaxLength = 1024;

    private readonly char[] _buffer = new char[MaxLength];
    private int _length;

    public ReadOnlySpan<char> Span => _buffer.AsSpan(0, _length);

    public KeyBuilder Clear()
    {
        _length = 0;
        return this;
    }

    public KeyBuilder Append(ReadOnlySpan<char> text)
    {
        var n = Math.Min(text.Length, MaxLength - _length);
        text[..n].CopyTo(_buffer.AsSpan(_length));
        _length += n;
        return this;
    }

    public KeyBuilder Append(char c)
    {
        if (_length < MaxLength)
        {
            _buffer[_length++] = c;
        }

        return this;
    }

    public override string ToString() => new(Span);
}
