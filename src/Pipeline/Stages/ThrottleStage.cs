namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Token bucket: <c>elements</c> per <c>per</c>, with bursts up to <c>maximumBurst</c>. Holds the batch
/// (and so backpressures upstream) until tokens are available.
/// </summary>
internal sealed class ThrottleStage<T> : Stage<T, T>
{
    private readonly double _tokensPerSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private readonly CancellationToken _abort;
    private double _tokens;
    private long _lastRefill;

    public ThrottleStage(MaterializationContext context, Inlet<T> downstream, int elements, TimeSpan per, int maximumBurst)
        : base(context, downstream, "throttle")
    {
        _tokensPerSecond = elements / per.TotalSeconds;
        _burst = Math.Max(1, maximumBurst);
        _time = context.Time;
        _abort = context.AbortToken;
        _tokens = _burst;
        _lastRefill = _time.GetTimestamp();
    }

    public override async ValueTask OnNextAsync(ReadOnlyMemory<T> batch)
    {
        Metrics.In(batch.Length);
        var offset = 0;
        while (offset < batch.Length)
        {
            Refill();
            if (_tokens < 1)
            {
                var wait = TimeSpan.FromSeconds((1 - _tokens) / _tokensPerSecond);
                await Task.Delay(wait, _time, _abort);
                continue;
            }

            var take = (int)Math.Min(_tokens, batch.Length - offset);
            _tokens -= take;
            Metrics.Out(take);
            await Downstream.OnNextAsync(batch.Slice(offset, take));
            offset += take;
        }
    }

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_lastRefill, now);
        _lastRefill = now;
        _tokens = Math.Min(_burst, _tokens + (elapsed.TotalSeconds * _tokensPerSecond));
    }
}
