using System.Collections.Immutable;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>One decoded OpenLineage event (RunEvent, JobEvent or DatasetEvent).</summary>
/// <param name="Kind">Which of the three event shapes this is.</param>
/// <param name="EventType">START, RUNNING, COMPLETE, ABORT, FAIL, OTHER; null when the event carries none.</param>
/// <param name="EventTime">The event time; an offset-less time is read as UTC.</param>
/// <param name="EventTimeUnixNano">The same time in nanoseconds since the Unix epoch, with the full fraction the producer sent.</param>
/// <param name="Producer">URI of the producer.</param>
/// <param name="SchemaUrl">The spec version the producer claims; null when absent (accepted for run events, as Marquez does).</param>
/// <param name="Run">The run; null for job and dataset events.</param>
/// <param name="Job">The job; null for dataset events.</param>
/// <param name="Inputs">Input datasets (run and job events); empty when none.</param>
/// <param name="Outputs">Output datasets (run and job events); empty when none.</param>
/// <param name="Dataset">The dataset of a dataset event; null otherwise.</param>
public sealed record LineageEvent(
    LineageEventKind Kind,
    string? EventType,
    DateTimeOffset EventTime,
    long EventTimeUnixNano,
    string Producer,
    string? SchemaUrl,
    LineageRun? Run,
    LineageJob? Job,
    ImmutableArray<LineageDataset> Inputs,
    ImmutableArray<LineageDataset> Outputs,
    LineageDataset? Dataset);
