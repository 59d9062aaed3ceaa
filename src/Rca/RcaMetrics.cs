using System.Diagnostics.Metrics;

namespace Autopilot.Rca;

/// <summary>Meter <c>Autopilot.Rca</c>: explanations by explainer and outcome (ok / timeout / error / invalid / empty).</summary>
internal static class RcaMetrics
{
    private static readonly Meter Meter = new("Autopilot.Rca");

    public static readonly Counter<long> Explanations = Meter.CreateCounter<long>("autopilot.rca.explanations", description: "RCA answers by explainer and outcome");

    public static readonly Histogram<double> AnalysisMs = Meter.CreateHistogram<double>("autopilot.rca.analysis.duration", "ms", "Time to build the context and rank, without the explainer");
}
