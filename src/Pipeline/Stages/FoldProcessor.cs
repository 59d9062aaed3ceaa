using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Stages;

/// <summary>Folds a partition into one state and emits it on completion.</summary>
internal sealed class FoldProcessor<T, TState>(TState seed, Func<TState, T, TState> step) : PartitionProcessor<T, TState>
{
    private TState _state = seed;

    public override void Process(in T element, PartitionContext<TState> context) => _state = step(_state, element);

    internal override void ProcessRange(T[] items, ref int index, int count, PartitionContext<TState> context)
    {
        // The state stays in a local for the batch. If step throws, the local still holds the state before
        // the failing element, which is what a resumed fold continues from.
        var state = _state;
        try
        {
            for (; index < count; index++)
            {
                state = step(state, items[index]);
            }
        }
        finally
        {
            _state = state;
        }
    }

    public override void OnComplete(PartitionContext<TState> context) => context.Emit(_state);
}
