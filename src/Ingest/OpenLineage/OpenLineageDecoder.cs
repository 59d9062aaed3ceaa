using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// Decodes OpenLineage 2-0-2 events (the body of <c>POST /api/v1/lineage</c>) and turns them into canonical signals.
/// </summary>
/// <remarks>
/// Acceptance follows Marquez: <c>eventTime</c>, <c>producer</c>, <c>run.runId</c> (a UUID) and
/// <c>job.namespace</c>/<c>job.name</c> are required; <c>schemaURL</c> is required for job and dataset
/// events but optional for run events (unless <see cref="OpenLineageOptions.RequireRunEventSchemaUrl"/>);
/// facets are not validated against their schemas except that typed facets must have JSON types that fit.
/// Signals (all at the event time, CorrelationId = runId):
/// <list type="bullet">
/// <item>job URN → Lineage, Name = eventType (JOB for job events, OTHER when absent), Status Ok for COMPLETE, Error for FAIL/ABORT, Value = number of datasets;</item>
/// <item>each input/output dataset URN → Lineage with <c>lineage.direction</c>, <c>lineage.job</c>, the schema fingerprint and,
/// when it has a columnLineage facet, <c>lineage.derived_from</c> (the URNs of the datasets its columns come from);</item>
/// <item>outputStatistics / dataQualityMetrics rowCount → Record <c>lineage.row_count</c>, Value = rows;</item>
/// <item>each data quality assertion → Record <c>dq.assertion</c>, Status Ok/Error;</item>
/// <item>column metrics → Metric <c>dq.null_count</c>, <c>dq.distinct_count</c>, ... with attribute <c>column</c>.</item>
/// </list>
/// </remarks>
public static class OpenLineageDecoder
{
    /// <summary>Parses one event.</summary>
    /// <exception cref="LineageFormatException">The payload is not an event we accept; the message names the JSON path.</exception>
    public static LineageEvent Parse(ReadOnlySpan<byte> utf8Json, OpenLineageOptions? options = null) =>
        new LineageEventReader(options ?? OpenLineageOptions.Default).Read(utf8Json);

    /// <summary>Appends the canonical signals of <paramref name="lineageEvent"/> to <paramref name="destination"/>; returns how many.</summary>
    public static int AppendSignals(LineageEvent lineageEvent, List<Signal> destination)
    {
        ArgumentNullException.ThrowIfNull(lineageEvent);
        ArgumentNullException.ThrowIfNull(destination);
        return LineageSignalWriter.Append(lineageEvent, destination);
    }

    /// <summary>Parses one event and appends its signals; returns the event for engines that want the typed model.</summary>
    /// <exception cref="LineageFormatException">The payload is not an event we accept; nothing was appended.</exception>
    public static LineageEvent Decode(ReadOnlySpan<byte> utf8Json, List<Signal> destination, OpenLineageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var lineageEvent = Parse(utf8Json, options);
        LineageSignalWriter.Append(lineageEvent, destination);
        return lineageEvent;
    }
}
