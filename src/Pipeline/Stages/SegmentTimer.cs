namespace Autopilot.Pipeline.Stages;

/// <summary>Processing-time ticks of one segment, fired by its driver between batches and while idle.</summary>
internal sealed class SegmentTimer
{
    private readonly TimeProvider _time;
    private readonly TimeSpan? _interval;
    private DateTimeOffset _next;

    public SegmentTimer(TimeProvider time, TimeSpan? interval)
    {
        _time = time;
        _interval = interval;
        if (interval is not null)
        {
            _next = time.GetUtcNow() + interval.Value;
        }
    }

    public bool Enabled => _interval is not null;

    /// <summary>How long an idle driver may wait before the next tick; null when the segment needs none.</summary>
    public TimeSpan? UntilDue()
    {
        if (_interval is null)
        {
            return null;
        }

        var remaining = _next - _time.GetUtcNow();
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }

    /// <summary>Returns true (and schedules the next tick) when a tick is due now.</summary>
    public bool TryTake(out DateTimeOffset now)
    {
        now = default;
        if (_interval is null)
        {
            return false;
        }

        now = _time.GetUtcNow();
        if (now < _next)
        {
            return false;
        }

        _next = now + _interval.Value;
        return true;
    }
}
