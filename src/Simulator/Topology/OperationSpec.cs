using System.Diagnostics;

namespace Autopilot.Simulator.Topology;

/// <summary>
/// An operation a service offers: an HTTP route (<see cref="ActivityKind.Server"/>) or the processing of a topic's
/// messages (<see cref="ActivityKind.Consumer"/>). <paramref name="SelfMedianMs"/> is the median time spent in the
/// service itself, before and after its <paramref name="Steps"/>.
/// </summary>
public sealed record OperationSpec(string Name, ActivityKind Kind, string Method, string Route, double SelfMedianMs, IReadOnlyList<StepSpec> Steps)
{
    /// <summary>The span name: <c>{method} {route}</c> for HTTP, <c>process {topic}</c> for a consumer (whose method is <c>process</c> and route the topic).</summary>
    public string SpanName => Method + " " + Route;
}
