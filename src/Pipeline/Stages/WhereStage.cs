namespace Autopilot.Pipeline.Stages;

internal sealed class WhereStage<T>(MaterializationContext context, Inlet<T> downstream, Func<T, bool> predicate)
    : SpanStage<T, T>(context, downstream, "where")
{
    protected override void Fill(ReadOnlySpan<T> input, ref int offset, Span<T> output, ref int written)
    {
        var i = offset;
        var w = written;
        try
        {
            for (; i < input.Length && w < output.Length; i++)
            {
                var item = input[i];
                if (predicate(item))
                {
                    output[w++] = item;
                }
            }
        }
        finally
        {
            offset = i;
            written = w;
        }
    }
}
