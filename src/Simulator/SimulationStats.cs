namespace Autopilot.Simulator;

/// <summary>
/// What a simulation sent, counted per asset URN the way the server's asset inventory counts it (a database or
/// messaging span is a span on its service and a record on its table or topic; a lineage event is a lineage signal
/// on its job and on each of its datasets, and an output's row count a record on that dataset).
/// </summary>
public sealed record SimulationStats(
    long Requests,
    long FailedRequests,
    IReadOnlyDictionary<string, long> SpansByUrn,
    IReadOnlyDictionary<string, long> LogsByUrn,
    IReadOnlyDictionary<string, long> MetricPointsByUrn,
    IReadOnlyDictionary<string, long> RecordsByUrn,
    IReadOnlyDictionary<string, long> LineageByUrn,
    long ExportRequests,
    long ExportRetries,
    long ExportFailures,
    string? LastExportFailure)
{
    public long Spans => SpansByUrn.Values.Sum();

    public long Logs => LogsByUrn.Values.Sum();

    public long MetricPoints => MetricPointsByUrn.Values.Sum();

    public long LineageEvents => LineageByUrn.Where(kv => kv.Key.StartsWith("urn:autopilot:job:", StringComparison.Ordinal)).Sum(kv => kv.Value);
}
