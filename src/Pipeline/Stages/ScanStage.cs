namespace Autopilot.Pipeline.Stages;

/// <summary>Emits the running state after each element; a restart puts the seed back.</summary>
internal sealed class ScanStage<TIn, TState> : SpanStage<TIn, TState>
{
    private readonly TState _seed;
    private readonly Func<TState, TIn, TState> _step;
    private TState _state;

    public ScanStage(MaterializationContext context, Inlet<TState> downstream, TState seed, Func<TState, TIn, TState> step)
        : base(context, downstream, "scan")
    {
        _seed = seed;
        _state = seed;
        _step = step;
    }

    protected override void Fill(ReadOnlySpan<TIn> input, ref int offset, Span<TState> output, ref int written)
    {
        var i = offset;
        var w = written;
        var state = _state;
        try
        {
            for (; i < input.Length && w < output.Length; i++)
            {
                state = _step(state, input[i]);
                output[w++] = state;
            }
        }
        finally
        {
            _state = state;
            offset = i;
            written = w;
        }
    }

    protected override void Restart() => _state = _seed;
}
