using System.Diagnostics.Metrics;

namespace Autopilot.Rca;

/// <summary>Meter <c>Autopilot.Rca</c>: explanations by explainer and outcome (ok / timeout / error / invalid / empty), gRPC calls by method and status.</summary>
internal static class RcaMetrics
{
    private static readonly Meter Meter = new("Autopilot.Rca");

    public static readonly Counter<long> Explanations = Meter.CreateCounter<long>("autopilot.rca.explanations", description: "RCA answers by explainer and outcome");

    public static readonly Counter<long> GrpcCalls = Meter.CreateCounter<long>("autopilot.rca.grpc.calls", description: "RCA gRPC calls by method and the status they ended with");

    public static readonly Histogram<double> GrpcDurationMs = Meter.CreateHistogram<double>("autopilot.rca.grpc.duration", "ms", "Time of a unary RCA gRPC call, from the request's first byte to the answer");

    public static readonly Histogram<double> AnalysisMs = Meter.CreateHistogram<double>("autopilot.rca.analysis.duration", "ms", "Time to build the context and rank, without the explainer");
}
