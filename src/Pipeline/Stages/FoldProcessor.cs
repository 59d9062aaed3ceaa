using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Stages;

/// <summary>Folds a partition into one state and emits it on completion.</summary>
internal sealed class FoldProcessor<T, TState>(TState seed, Func<TState, T, TState> step) : PartitionProcessor<T, TState>
{
    private TState _state = seed;

    public override void Process(in T element, PartitionContext<TState> context) => _state = step(_state, element);

    public override void OnComplete(PartitionContext<TState> context) => context.Emit(_state);
}
