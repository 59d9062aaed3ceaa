using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>A complete graph (source to sink), ready to run; each <see cref="Run"/> is an independent run.</summary>
public sealed class RunnableGraph<TMat>
{
    private readonly Func<MaterializationContext, TMat> _build;

    internal RunnableGraph(Func<MaterializationContext, TMat> build) => _build = build;

    /// <summary>Materializes the graph and starts its tasks.</summary>
    public GraphHandle<TMat> Run(PipelineSettings? settings = null)
    {
        var context = new MaterializationContext(settings ?? PipelineSettings.Default);
        var materialized = _build(context);
        var completion = context.Start();
        return new GraphHandle<TMat>(materialized, completion, new KillSwitch(context));
    }
}
