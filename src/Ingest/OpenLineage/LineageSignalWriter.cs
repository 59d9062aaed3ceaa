using System.Globalization;
using Autopilot.Ingest.Signals;
using C = Autopilot.Ingest.OpenLineage.LineageSignalConventions;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>Turns one decoded event into canonical signals; plain loops, no LINQ (ingest hot path).</summary>
internal static class LineageSignalWriter
{
    public static int Append(LineageEvent evt, List<Signal> destination)
    {
        var before = destination.Count;
        var time = evt.EventTimeUnixNano;
        var runId = evt.Run?.RunId;
        if (evt.Kind == LineageEventKind.Dataset)
        {
            var dataset = evt.Dataset!;
            AppendDataset(destination, dataset, direction: null, jobUrn: null, C.DatasetEventName, SignalStatus.Unset, time, runId: null);
            return destination.Count - before;
        }

        var job = evt.Job!;
        var jobUrn = Urn.Create("job", job.Namespace, job.Name);
        var name = evt.Kind == LineageEventKind.Job ? C.JobEventName : evt.EventType ?? C.UntypedRunEventName;
        var status = StatusOf(evt.EventType);
        destination.Add(new Signal(
            SignalKind.Lineage, jobUrn, time, TraceId.Empty, 0, runId, name,
            evt.Inputs.Length + evt.Outputs.Length, status, 0, JobAttributes(evt)));

        foreach (var input in evt.Inputs)
        {
            AppendDataset(destination, input, C.DirectionInput, jobUrn, name, status, time, runId);
        }

        foreach (var output in evt.Outputs)
        {
            AppendDataset(destination, output, C.DirectionOutput, jobUrn, name, status, time, runId);
        }

        return destination.Count - before;
    }

    private static SignalStatus StatusOf(string? eventType) => eventType switch
    {
        "COMPLETE" => SignalStatus.Ok,
        "FAIL" or "ABORT" => SignalStatus.Error,
        _ => SignalStatus.Unset,
    };

    private static SignalAttributes JobAttributes(LineageEvent evt)
    {
        var attributes = new AttributeBuilder(8);
        if (evt.EventType is not null)
        {
            attributes.Add(C.EventType, evt.EventType);
        }

        attributes.Add(C.Producer, evt.Producer);
        attributes.Add(C.Inputs, Invariant(evt.Inputs.Length));
        attributes.Add(C.Outputs, Invariant(evt.Outputs.Length));
        if (evt.Run?.Facets.Parent is { } parent)
        {
            attributes.AddIfNotNull(C.ParentRunId, parent.RunId);
            if (parent.JobNamespace is not null && parent.JobName is not null)
            {
                attributes.Add(C.ParentJob, Urn.Create("job", parent.JobNamespace, parent.JobName));
            }
        }

        if (evt.Job!.Facets.JobType is { } jobType)
        {
            attributes.AddIfNotNull(C.JobType, jobType.JobType);
            attributes.AddIfNotNull(C.ProcessingType, jobType.ProcessingType);
        }

        return attributes.Build();
    }

    private static void AppendDataset(
        List<Signal> destination,
        LineageDataset dataset,
        string? direction,
        string? jobUrn,
        string name,
        SignalStatus status,
        long time,
        string? runId)
    {
        var urn = Urn.Create("dataset", dataset.Namespace, dataset.Name);
        var attributes = new AttributeBuilder(7);
        attributes.AddIfNotNull(C.Direction, direction);
        attributes.AddIfNotNull(C.Job, jobUrn);
        if (dataset.Schema is { } schema)
        {
            attributes.Add(C.SchemaFingerprint, schema.Fingerprint);
            attributes.Add(C.SchemaFieldCount, Invariant(schema.Fields.Length));
            attributes.AddIfNotNull(C.SchemaFields, FieldList(schema));
        }

        attributes.AddIfNotNull(C.DatasetVersion, dataset.Version?.DatasetVersion);
        attributes.AddIfNotNull(C.LifecycleState, dataset.LifecycleStateChange?.LifecycleStateChange);
        if (dataset.ColumnLineage is { } columnLineage)
        {
            attributes.AddIfNotNull(C.DerivedFrom, DerivedFrom(columnLineage, urn));
        }

        destination.Add(new Signal(SignalKind.Lineage, urn, time, TraceId.Empty, 0, runId, name, 0, status, 0, attributes.Build()));

        if (dataset.OutputStatistics is { RowCount: { } written } statistics)
        {
            var a = new AttributeBuilder(5);
            a.Add(C.Facet, "outputStatistics");
            a.AddIfNotNull(C.Direction, direction);
            a.AddIfNotNull(C.Job, jobUrn);
            a.AddIfNotNull(C.Bytes, statistics.Size is { } size ? Invariant(size) : null);
            a.AddIfNotNull(C.FileCount, statistics.FileCount is { } files ? Invariant(files) : null);
            destination.Add(new Signal(SignalKind.Record, urn, time, TraceId.Empty, 0, runId, C.RowCountName, written, SignalStatus.Unset, 0, a.Build()));
        }

        if (dataset.DataQualityMetrics is { } metrics)
        {
            if (metrics.RowCount is { } observed)
            {
                var a = new AttributeBuilder(5);
                a.Add(C.Facet, "dataQualityMetrics");
                a.AddIfNotNull(C.Direction, direction);
                a.AddIfNotNull(C.Job, jobUrn);
                a.AddIfNotNull(C.Bytes, metrics.Bytes is { } bytes ? Invariant(bytes) : null);
                a.AddIfNotNull(C.FileCount, metrics.FileCount is { } files ? Invariant(files) : null);
                destination.Add(new Signal(SignalKind.Record, urn, time, TraceId.Empty, 0, runId, C.RowCountName, observed, SignalStatus.Unset, 0, a.Build()));
            }

            foreach (var column in metrics.ColumnMetrics)
            {
                AppendColumnMetrics(destination, urn, jobUrn, column, time, runId);
            }
        }

        if (dataset.DataQualityAssertions is { } assertions)
        {
            foreach (var assertion in assertions.Assertions)
            {
                var a = new AttributeBuilder(3);
                a.Add(C.Assertion, assertion.Assertion ?? string.Empty);
                a.AddIfNotNull(C.Column, assertion.Column);
                a.AddIfNotNull(C.Job, jobUrn);
                var (value, assertionStatus) = assertion.Success switch
                {
                    true => (1d, SignalStatus.Ok),
                    false => (0d, SignalStatus.Error),
                    null => (0d, SignalStatus.Unset),
                };
                destination.Add(new Signal(SignalKind.Record, urn, time, TraceId.Empty, 0, runId, C.AssertionName, value, assertionStatus, 0, a.Build()));
            }
        }
    }

    private static void AppendColumnMetrics(List<Signal> destination, string urn, string? jobUrn, ColumnMetrics column, long time, string? runId)
    {
        var attributes = ColumnAttributes(column.Column, jobUrn, quantile: null);
        AppendMetric(destination, urn, C.NullCountName, column.NullCount, attributes, time, runId);
        AppendMetric(destination, urn, C.DistinctCountName, column.DistinctCount, attributes, time, runId);
        AppendMetric(destination, urn, C.SumName, column.Sum, attributes, time, runId);
        AppendMetric(destination, urn, C.CountName, column.Count, attributes, time, runId);
        AppendMetric(destination, urn, C.MinName, column.Min, attributes, time, runId);
        AppendMetric(destination, urn, C.MaxName, column.Max, attributes, time, runId);
        foreach (var (quantile, value) in column.Quantiles)
        {
            AppendMetric(destination, urn, C.QuantileName, value, ColumnAttributes(column.Column, jobUrn, quantile), time, runId);
        }
    }

    private static SignalAttributes ColumnAttributes(string column, string? jobUrn, string? quantile)
    {
        var attributes = new AttributeBuilder(3);
        attributes.Add(C.Column, column);
        attributes.AddIfNotNull(C.Quantile, quantile);
        attributes.AddIfNotNull(C.Job, jobUrn);
        return attributes.Build();
    }

    private static void AppendMetric(List<Signal> destination, string urn, string name, double? value, SignalAttributes attributes, long time, string? runId)
    {
        if (value is { } v)
        {
            destination.Add(new Signal(SignalKind.Metric, urn, time, TraceId.Empty, 0, runId, name, v, SignalStatus.Unset, 0, attributes));
        }
    }

    /// <summary>The other datasets the columns come from, as <see cref="C.DerivedFrom"/> describes; null when none.</summary>
    private static string? DerivedFrom(ColumnLineageFacet facet, string self)
    {
        List<string>? sources = null;
        foreach (var field in facet.Fields)
        {
            foreach (var input in field.InputFields)
            {
                if (string.IsNullOrEmpty(input.Namespace) || string.IsNullOrEmpty(input.Name))
                {
                    continue;
                }

                var source = Urn.Create("dataset", input.Namespace, input.Name);
                sources ??= [];
                if (!string.Equals(source, self, StringComparison.Ordinal) && !sources.Contains(source) && sources.Count < C.DerivedFromMaxDatasets)
                {
                    sources.Add(source);
                }
            }
        }

        return sources is { Count: > 0 } ? string.Join(' ', sources) : null;
    }

    private static string? FieldList(SchemaFacet schema)
    {
        var sb = new System.Text.StringBuilder(16 * schema.Fields.Length);
        foreach (var field in schema.Fields)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            AppendEscaped(sb, field.Name);
            sb.Append(':');
            AppendEscaped(sb, field.Type ?? string.Empty);
            if (sb.Length > C.SchemaFieldsMaxLength)
            {
                return null;
            }
        }

        return sb.ToString();
    }

    private static void AppendEscaped(System.Text.StringBuilder sb, string part)
    {
        foreach (var c in part)
        {
            _ = c switch
            {
                '%' => sb.Append("%25"),
                ',' => sb.Append("%2C"),
                ':' => sb.Append("%3A"),
                _ => sb.Append(c),
            };
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Collects attribute pairs into exactly sized arrays; keys are the interned constants above.</summary>
    private struct AttributeBuilder(int capacity)
    {
        private string[] _keys = new string[capacity];
        private string[] _values = new string[capacity];
        private int _count;

        public void Add(string key, string value)
        {
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }

            _keys[_count] = key;
            _values[_count] = value;
            _count++;
        }

        public void AddIfNotNull(string key, string? value)
        {
            if (value is not null)
            {
                Add(key, value);
            }
        }

        public readonly SignalAttributes Build()
        {
            if (_count == 0)
            {
                return SignalAttributes.Empty;
            }

            if (_count == _keys.Length)
            {
                return new SignalAttributes(_keys, _values);
            }

            return new SignalAttributes(_keys.AsSpan(0, _count).ToArray(), _values.AsSpan(0, _count).ToArray());
        }
    }
}
