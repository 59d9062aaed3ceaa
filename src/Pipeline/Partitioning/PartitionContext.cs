namespace Autopilot.Pipeline.Partitioning;

/// <summary>What a <see cref="PartitionProcessor{TIn, TOut}"/> can see and do: emit, watermark, timers.</summary>
public sealed class PartitionContext<TOut>
{
    private readonly PriorityQueue<(long Time, long Tag), (long Time, long Tag)> _timers = new();
    private TOut[] _output;
    private int _count;

    internal PartitionContext(int partition, int initialOutputCapacity)
    {
        Partition = partition;
        _output = new TOut[initialOutputCapacity];
    }

    /// <summary>Index of this partition, 0 to n-1.</summary>
    public int Partition { get; }

    /// <summary>Current event-time watermark of this partition; long.MinValue until the first one.</summary>
    public long Watermark { get; private set; } = long.MinValue;

    /// <summary>Number of event-time timers waiting.</summary>
    public int PendingTimers => _timers.Count;

    /// <summary>Emits an element downstream (after the current call returns).</summary>
    public void Emit(TOut element)
    {
        if (_count == _output.Length)
        {
            Array.Resize(ref _output, _output.Length * 2);
        }

        _output[_count++] = element;
    }

    /// <summary>Calls <see cref="PartitionProcessor{TIn, TOut}.OnEventTimer"/> once the watermark reaches <paramref name="time"/>.</summary>
    public void RegisterEventTimer(long time, long tag) => _timers.Enqueue((time, tag), (time, tag));

    internal int OutputCount => _count;

    internal ReadOnlyMemory<TOut> Output => _output.AsMemory(0, _count);

    internal void ClearOutput()
    {
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<TOut>())
        {
            Array.Clear(_output, 0, _count);
        }

        _count = 0;
    }

    /// <summary>Moves the watermark; returns false when it did not advance.</summary>
    internal bool AdvanceWatermark(long watermark)
    {
        if (watermark <= Watermark)
        {
            return false;
        }

        Watermark = watermark;
        return true;
    }

    internal bool TryTakeDueTimer(out long time, out long tag)
    {
        if (_timers.TryPeek(out var timer, out _) && timer.Time <= Watermark)
        {
            _timers.Dequeue();
            (time, tag) = timer;
            return true;
        }

        time = tag = 0;
        return false;
    }
}
