namespace Autopilot.Ingest.OpenLineage;

/// <summary>Names and attribute keys of the signals <see cref="OpenLineageDecoder"/> produces (see its remarks for the rules).</summary>
public static class LineageSignalConventions
{
    /// <summary>Signal name of a dataset event's dataset signal.</summary>
    public const string DatasetEventName = "DATASET";

    /// <summary>Signal name of a job event's job and dataset signals.</summary>
    public const string JobEventName = "JOB";

    /// <summary>Signal name of a run event that carries no eventType (the spec allows it; OTHER is what it means).</summary>
    public const string UntypedRunEventName = "OTHER";

    /// <summary>Record signal: rows a dataset has, from outputStatistics (written) or dataQualityMetrics (observed).</summary>
    public const string RowCountName = "lineage.row_count";

    /// <summary>Record signal per data quality assertion; Status Ok/Error, Value 1 passed / 0 failed.</summary>
    public const string AssertionName = "dq.assertion";

    public const string NullCountName = "dq.null_count";
    public const string DistinctCountName = "dq.distinct_count";
    public const string SumName = "dq.sum";
    public const string CountName = "dq.count";
    public const string MinName = "dq.min";
    public const string MaxName = "dq.max";
    public const string QuantileName = "dq.quantile";

    /// <summary>input or output on dataset signals of run and job events.</summary>
    public const string Direction = "lineage.direction";
    public const string DirectionInput = "input";
    public const string DirectionOutput = "output";

    /// <summary>The job URN on every dataset-level signal of a run or job event.</summary>
    public const string Job = "lineage.job";

    /// <summary>
    /// On a dataset signal whose dataset has a <c>columnLineage</c> facet: the URNs of the other datasets its
    /// columns come from, distinct, in the order first named, separated by one space (a URN percent-encodes
    /// spaces, so none occurs inside one); at most <see cref="DerivedFromMaxDatasets"/>.
    /// </summary>
    public const string DerivedFrom = "lineage.derived_from";

    /// <summary>Most source datasets listed in <see cref="DerivedFrom"/>.</summary>
    public const int DerivedFromMaxDatasets = 64;
    public const string EventType = "lineage.event_type";
    public const string Producer = "lineage.producer";
    public const string ParentRunId = "lineage.parent_run_id";
    public const string ParentJob = "lineage.parent_job";
    public const string JobType = "lineage.job_type";
    public const string ProcessingType = "lineage.processing_type";
    public const string Inputs = "lineage.inputs";
    public const string Outputs = "lineage.outputs";

    /// <summary>Stable hash of the schema facet's names and types; changes mean schema drift.</summary>
    public const string SchemaFingerprint = "schema.fingerprint";
    public const string SchemaFieldCount = "schema.field_count";

    /// <summary>
    /// Top-level schema fields as <c>name:type,name:type</c> in the order sent (',', ':' and '%' in a part are
    /// percent-encoded); left out when longer than <see cref="SchemaFieldsMaxLength"/>, so a value is never truncated.
    /// </summary>
    public const string SchemaFields = "schema.fields";

    /// <summary>Longest <see cref="SchemaFields"/> value written.</summary>
    public const int SchemaFieldsMaxLength = 4096;
    public const string DatasetVersion = "dataset.version";
    public const string LifecycleState = "dataset.lifecycle_state";

    /// <summary>outputStatistics or dataQualityMetrics: which facet a row count came from.</summary>
    public const string Facet = "lineage.facet";
    public const string Bytes = "dataset.bytes";
    public const string FileCount = "dataset.file_count";
    public const string Assertion = "dq.assertion";
    public const string Column = "column";
    public const string Quantile = "quantile";
}
