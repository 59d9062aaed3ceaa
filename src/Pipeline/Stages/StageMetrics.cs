namespace Autopilot.Pipeline.Stages;

/// <summary>The in / out / dropped counters of one stage, tagged with its graph and stage name.</summary>
internal sealed class StageMetrics
{
    private readonly KeyValuePair<string, object?> _graph;
    private readonly KeyValuePair<string, object?> _stage;

    public StageMetrics(string graph, string stage)
    {
        Graph = graph;
        Stage = stage;
        _graph = new("graph", graph);
        _stage = new("stage", stage);
    }

    public string Graph { get; }

    public string Stage { get; }

    public void In(int count)
    {
        if (count > 0 && PipelineMetrics.ElementsIn.Enabled)
        {
            PipelineMetrics.ElementsIn.Add(count, _graph, _stage);
        }
    }

    public void Out(int count)
    {
        if (count > 0 && PipelineMetrics.ElementsOut.Enabled)
        {
            PipelineMetrics.ElementsOut.Add(count, _graph, _stage);
        }
    }

    public void Dropped(int count, string reason)
    {
        if (count > 0 && PipelineMetrics.ElementsDropped.Enabled)
        {
            PipelineMetrics.ElementsDropped.Add(count, _graph, _stage, new("reason", reason));
        }
    }
}
