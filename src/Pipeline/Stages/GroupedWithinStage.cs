namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Collects elements into groups of at most <c>maxCount</c>, emitting a group when it is full or when
/// <c>maxTime</c> has passed since its first element (checked on the segment's ticks, a quarter of
/// <c>maxTime</c> apart). One array is allocated per group, never per element.
/// </summary>
internal sealed class GroupedWithinStage<T> : Stage<T, T[]>
{
    private readonly int _maxCount;
    private readonly TimeSpan _maxTime;
    private readonly TimeProvider _time;
    private readonly T[][] _one = new T[1][];
    private T[] _group;
    private int _count;
    private DateTimeOffset _groupStart;

    public GroupedWithinStage(MaterializationContext context, Inlet<T[]> downstream, int maxCount, TimeSpan maxTime)
        : base(context, downstream, "grouped-within")
    {
        _maxCount = maxCount;
        _maxTime = maxTime;
        _time = context.Time;
        _group = new T[maxCount];
        var tick = maxTime / 4;
        context.RequestTicks(tick > TimeSpan.FromMilliseconds(1) ? tick : TimeSpan.FromMilliseconds(1));
    }

    public override async ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        Metrics.In(batch.Length);
        var offset = 0;
        while (offset < batch.Length)
        {
            if (_count == 0)
            {
                _groupStart = _time.GetUtcNow();
            }

            var take = Math.Min(_maxCount - _count, batch.Length - offset);
            batch.Span.Slice(offset, take).CopyTo(_group.AsSpan(_count));
            _count += take;
            offset += take;
            if (_count == _maxCount)
            {
                await EmitAsync();
            }
        }
    }

    public override async ValueTask OnTickAsync(DateTimeOffset now)
    {
        if (_count > 0 && now - _groupStart >= _maxTime)
        {
            await EmitAsync();
        }

        await Downstream.OnTickAsync(now);
    }

    public override async ValueTask OnCompleteAsync()
    {
        if (_count > 0)
        {
            await EmitAsync();
        }

        await Downstream.OnCompleteAsync();
    }

    private ValueTask EmitAsync()
    {
        var group = _group;
        if (_count < _maxCount)
        {
            Array.Resize(ref group, _count);
        }
        else
        {
            _group = new T[_maxCount];
        }

        _count = 0;
        _one[0] = group;
        Metrics.Out(1);
        return Downstream.OnNextAsync(_one);
    }
}
