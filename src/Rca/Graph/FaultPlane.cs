namespace Autopilot.Rca.Graph;

/// <summary>
/// The kinds of trouble a fault spreads as, each along the edges in its own direction (see
/// <see cref="GraphEdges.FaultFlowsForward(EdgeKind, FaultPlane)"/>). A symptom belongs to one plane by what it
/// measures.
/// </summary>
public enum FaultPlane
{
    /// <summary>
    /// Slow or failing requests, saturation, error logs: they travel against the request, from what is called to
    /// its caller, so a callee, a database (to its readers and its writers alike) or a broker (to its producers)
    /// hurts its clients.
    /// </summary>
    Request,

    /// <summary>
    /// How much arrives (request, record, message and row counts): it travels with the requests and the data, so a
    /// caller that stops calling drops its callees' traffic and a writer that stops writing drops its table's.
    /// </summary>
    Traffic,

    /// <summary>
    /// What the data is and whether it is current (freshness, schema, quality, contracts): it travels with the data,
    /// from a writer to the dataset, a dataset to its readers and jobs, a job to its outputs, a producer through the
    /// topic to its consumers, and from a callee's answer to its caller.
    /// </summary>
    Data,
}
