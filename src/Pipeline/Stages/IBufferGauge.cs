namespace Autopilot.Pipeline.Stages;

/// <summary>A bounded buffer whose fill is reported by <see cref="PipelineMetrics"/>.</summary>
internal interface IBufferGauge
{
    string Graph { get; }

    string Stage { get; }

    long Fill { get; }

    long Capacity { get; }
}
