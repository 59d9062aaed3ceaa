using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>The end of a graph, consuming <typeparamref name="T"/>; running the graph yields <typeparamref name="TMat"/>.</summary>
public sealed class Sink<T, TMat>
{
    internal Sink(Func<MaterializationContext, (Inlet<T> Inlet, TMat Materialized)> build) => Build = build;

    internal Func<MaterializationContext, (Inlet<T> Inlet, TMat Materialized)> Build { get; }

    /// <summary>Supervision for this sink's user code.</summary>
    public Sink<T, TMat> WithDecider(Decider decider)
    {
        ArgumentNullException.ThrowIfNull(decider);
        return new Sink<T, TMat>(context =>
        {
            context.PushDecider(decider);
            try
            {
                return Build(context);
            }
            finally
            {
                context.PopDecider();
            }
        });
    }
}
