namespace Autopilot.Engines.Drift;

/// <summary>What the drift engine tracks under one name of one URN: the operation's attribute keys and the value distributions.</summary>
internal sealed class NameShapes(string name)
{
    public string Name { get; } = name;

    /// <summary>Attribute keys of the spans of this name (an operation), once tracked.</summary>
    public OperationKeys? Operation { get; set; }

    /// <summary>Durations of the spans of this name, once tracked.</summary>
    public DistributionSeries? Span { get; set; }

    /// <summary>Values of the metric of this name, once tracked.</summary>
    public DistributionSeries? Metric { get; set; }
}
