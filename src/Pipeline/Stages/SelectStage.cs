namespace Autopilot.Pipeline.Stages;

internal sealed class SelectStage<TIn, TOut>(MaterializationContext context, Inlet<TOut> downstream, Func<TIn, TOut> selector)
    : SpanStage<TIn, TOut>(context, downstream, "select")
{
    protected override void Fill(ReadOnlySpan<TIn> input, ref int offset, Span<TOut> output, ref int written)
    {
        var i = offset;
        var w = written;
        var n = Math.Min(input.Length - i, output.Length - w);
        try
        {
            for (var end = i + n; i < end; i++)
            {
                // Evaluate first: in `output[w++] = f(x)` the index is taken before f runs, so a throwing f would leave a hole.
                var value = selector(input[i]);
                output[w++] = value;
            }
        }
        finally
        {
            offset = i;
            written = w;
        }
    }
}
