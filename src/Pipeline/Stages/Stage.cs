namespace Autopilot.Pipeline.Stages;

/// <summary>A stage with one downstream: forwards ticks and completion.</summary>
internal abstract class Stage<TIn, TOut> : SupervisedInlet<TIn>
{
    protected Stage(MaterializationContext context, Inlet<TOut> downstream, string kind)
        : base(context, kind)
    {
        Downstream = downstream;
    }

    protected Inlet<TOut> Downstream { get; }

    public override ValueTask OnTickAsync(DateTimeOffset now) => Downstream.OnTickAsync(now);

    public override ValueTask OnCompleteAsync() => Downstream.OnCompleteAsync();
}
