using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Drift;

/// <summary>
/// One numeric series: first its reference sample, then (once the bins are fixed) the bin counts of the
/// window being filled.
/// </summary>
internal sealed class DistributionSeries(SignalKind kind, string urn, string name, long referenceStart)
{
    /// <summary>Span (durations of an operation) or metric (values of a metric).</summary>
    public SignalKind Kind { get; } = kind;

    public string Urn { get; } = urn;

    public string Name { get; } = name;

    public long ReferenceStart { get; set; } = referenceStart;

    public List<double>? Reference { get; set; } = [];

    /// <summary>Inner bin edges; null while the reference is being collected.</summary>
    public double[]? Edges { get; set; }

    public double[] Expected { get; set; } = [];

    /// <summary>Values before this time are not judged (they belong to the reference).</summary>
    public long JudgeFrom { get; set; }

    public long WindowStart { get; set; } = long.MinValue;

    public long[] Counts { get; set; } = [];

    public long Total { get; set; }

    public double Sum { get; set; }

    public double ReferenceMean { get; set; }
}
