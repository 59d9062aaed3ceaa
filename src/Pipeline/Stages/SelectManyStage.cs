namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Emits every element of the sequence each input maps to. Arrays and lists are read by index;
/// other sequences through their enumerator, which may span several output batches.
/// </summary>
internal sealed class SelectManyStage<TIn, TOut>(MaterializationContext context, Inlet<TOut> downstream, Func<TIn, IEnumerable<TOut>> selector)
    : SpanStage<TIn, TOut>(context, downstream, "select-many")
{
    private IReadOnlyList<TOut>? _pendingList;
    private int _pendingIndex;
    private IEnumerator<TOut>? _pendingEnumerator;

    protected override bool HasPending => _pendingList is not null || _pendingEnumerator is not null;

    protected override void Fill(ReadOnlySpan<TIn> input, ref int offset, Span<TOut> output, ref int written)
    {
        while (written < output.Length)
        {
            if (_pendingList is not null)
            {
                while (_pendingIndex < _pendingList.Count && written < output.Length)
                {
                    output[written++] = _pendingList[_pendingIndex++];
                }

                if (_pendingIndex == _pendingList.Count)
                {
                    _pendingList = null;
                }

                continue;
            }

            if (_pendingEnumerator is not null)
            {
                if (_pendingEnumerator.MoveNext())
                {
                    output[written++] = _pendingEnumerator.Current;
                }
                else
                {
                    _pendingEnumerator.Dispose();
                    _pendingEnumerator = null;
                }

                continue;
            }

            if (offset >= input.Length)
            {
                return;
            }

            // The element counts as consumed before its sequence is read, so a throwing sequence is skipped whole.
            var sequence = selector(input[offset++]);
            if (sequence is IReadOnlyList<TOut> list)
            {
                _pendingList = list;
                _pendingIndex = 0;
            }
            else
            {
                _pendingEnumerator = sequence.GetEnumerator();
            }
        }
    }

    protected override void SkipFailed(ref int offset)
    {
        // The failing element was already consumed (or its sequence failed while read): drop what is left of it.
        _pendingEnumerator?.Dispose();
        _pendingEnumerator = null;
        _pendingList = null;
    }
}
