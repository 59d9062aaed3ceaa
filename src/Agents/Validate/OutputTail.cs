namespace Autopilot.Agents.Validate;

/// <summary>The last lines a child process wrote to one stream; bounded in lines and line length. Thread-safe.</summary>
internal sealed class OutputTail
{
    private const int MaxLineLength = 1000;
    private readonly Queue<string> _lines = new();
    private readonly int _maxLines;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _total;

    public OutputTail(int maxLines = 40)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLines, 1);
        _maxLines = maxLines;
    }

    /// <summary>Completes when the stream has ended (the null line a redirected stream reports last).</summary>
    public Task Closed => _closed.Task;

    public void Add(string? line)
    {
        if (line is null)
        {
            _closed.TrySetResult();
            return;
        }

        if (line.Length > MaxLineLength)
        {
            line = string.Concat(line.AsSpan(0, MaxLineLength), "…");
        }

        lock (_lines)
        {
            _total++;
            _lines.Enqueue(line);
            while (_lines.Count > _maxLines)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>The kept lines, oldest first, after a "… N earlier lines" marker when some were let go.</summary>
    public IReadOnlyList<string> Lines()
    {
        lock (_lines)
        {
            var list = new List<string>(_lines.Count + 1);
            if (_total > _lines.Count)
            {
                list.Add($"… {_total - _lines.Count} earlier line(s) not kept");
            }

            list.AddRange(_lines);
            return list;
        }
    }
}
