using System.Collections.Immutable;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Autopilot.Ingest.OpenLineage;

/// <summary>
/// Walks one event's JSON into the typed model. Rules: required fields (the ones Marquez requires)
/// missing or of the wrong JSON type are errors; in typed facets a missing field is null, a present
/// field of the wrong JSON type is an error (a number may come as a numeric string, as Jackson accepts);
/// JSON null counts as absent everywhere; unknown fields and facets are kept raw.
/// </summary>
internal sealed class LineageEventReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64, CommentHandling = JsonCommentHandling.Disallow };

    private readonly OpenLineageOptions _options;
    private readonly JsonPathTracker _path = new();

    public LineageEventReader(OpenLineageOptions options)
    {
        _options = options;
    }

    public LineageEvent Read(ReadOnlySpan<byte> utf8Json)
    {
        if (!Utf8.IsValid(utf8Json))
        {
            throw new LineageFormatException("$", "the body is not valid UTF-8; send the event as UTF-8 JSON");
        }

        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            root = JsonElement.ParseValue(ref reader);

            // Read() throws on anything but whitespace after the value; the check is for clarity.
            if (reader.Read())
            {
                throw new LineageFormatException("$", "expected one JSON object but found more content after it");
            }
        }
        catch (JsonException ex)
        {
            throw new LineageFormatException("$", $"not valid JSON ({ex.Message})", ex);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new LineageFormatException("$", $"expected a JSON object (an OpenLineage event) but found {Describe(root.ValueKind)}");
        }

        return ReadEvent(root);
    }

    private LineageEvent ReadEvent(JsonElement root)
    {
        var hasRun = TryGetPresent(root, "run", out var runElement);
        var hasJob = TryGetPresent(root, "job", out var jobElement);
        var hasDataset = TryGetPresent(root, "dataset", out var datasetElement);
        LineageEventKind kind;
        if (hasRun)
        {
            kind = LineageEventKind.Run;
        }
        else if (hasJob)
        {
            kind = LineageEventKind.Job;
        }
        else if (hasDataset)
        {
            kind = LineageEventKind.Dataset;
        }
        else
        {
            throw Error(null, "not an OpenLineage event: expected 'run' and 'job' (RunEvent), 'job' (JobEvent) or 'dataset' (DatasetEvent)");
        }

        var eventTimeText = RequiredString(root, "eventTime");
        if (!LineageTime.TryParse(eventTimeText, out var eventTime, out var eventTimeNanos))
        {
            throw Error("eventTime", $"'{Clip(eventTimeText)}' is not an ISO 8601 date-time such as 2024-01-15T10:00:00.000Z (between 1677 and 2262)");
        }

        var producer = RequiredString(root, "producer");
        var schemaUrl = OptionalString(root, "schemaURL");
        if (schemaUrl is null && (kind != LineageEventKind.Run || _options.RequireRunEventSchemaUrl))
        {
            throw Error("schemaURL", "missing; it names the OpenLineage spec version, e.g. https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent");
        }

        var eventType = OptionalString(root, "eventType");
        if (eventType is not null && !IsKnownEventType(eventType))
        {
            throw Error("eventType", $"'{Clip(eventType)}' is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER");
        }

        LineageRun? run = null;
        LineageJob? job = null;
        LineageDataset? dataset = null;
        var inputs = ImmutableArray<LineageDataset>.Empty;
        var outputs = ImmutableArray<LineageDataset>.Empty;
        if (kind == LineageEventKind.Dataset)
        {
            dataset = ReadDatasetAt("dataset", datasetElement);
        }
        else
        {
            if (kind == LineageEventKind.Run)
            {
                run = ReadRun(runElement);
                if (!hasJob)
                {
                    throw Error("job", "missing; a run event needs the job it belongs to");
                }
            }

            job = ReadJob(jobElement);
            inputs = ReadDatasets(root, "inputs");
            outputs = ReadDatasets(root, "outputs");
        }

        return new LineageEvent(kind, eventType, eventTime, eventTimeNanos, producer, schemaUrl, run, job, inputs, outputs, dataset);
    }

    private static bool IsKnownEventType(string eventType) =>
        eventType is "START" or "RUNNING" or "COMPLETE" or "ABORT" or "FAIL" or "OTHER";

    private LineageRun ReadRun(JsonElement element)
    {
        _path.PushProperty("run");
        ExpectObject(element);
        var runId = RequiredString(element, "runId");
        if (!Guid.TryParseExact(runId, "D", out _))
        {
            throw Error("runId", $"'{Clip(runId)}' is not a UUID (expected 8-4-4-4-12 hex digits)");
        }

        var facets = RunFacets.Empty;
        if (TryGetPresent(element, "facets", out var facetsElement))
        {
            _path.PushProperty("facets");
            var raw = ReadRawFacets(facetsElement);
            ParentRunFacet? parent = null;
            if (raw.TryGetValue("parent", out var p))
            {
                _path.PushProperty("parent");
                parent = ReadParent(p);
                _path.Pop();
            }

            facets = new RunFacets(raw, parent);
            _path.Pop();
        }

        _path.Pop();
        return new LineageRun(runId, facets);
    }

    private ParentRunFacet? ReadParent(JsonElement element)
    {
        if (!IsFacetObject(element))
        {
            return null;
        }

        string? runId = null;
        string? jobNamespace = null;
        string? jobName = null;
        if (TryGetPresent(element, "run", out var run))
        {
            _path.PushProperty("run");
            ExpectObject(run);
            runId = OptionalString(run, "runId");
            _path.Pop();
        }

        if (TryGetPresent(element, "job", out var job))
        {
            _path.PushProperty("job");
            ExpectObject(job);
            jobNamespace = OptionalString(job, "namespace");
            jobName = OptionalString(job, "name");
            _path.Pop();
        }

        return new ParentRunFacet(runId, jobNamespace, jobName);
    }

    private LineageJob ReadJob(JsonElement element)
    {
        _path.PushProperty("job");
        ExpectObject(element);
        var ns = RequiredString(element, "namespace");
        var name = RequiredString(element, "name");
        var facets = JobFacets.Empty;
        if (TryGetPresent(element, "facets", out var facetsElement))
        {
            _path.PushProperty("facets");
            var raw = ReadRawFacets(facetsElement);
            JobTypeFacet? jobType = null;
            SqlJobFacet? sql = null;
            if (raw.TryGetValue("jobType", out var jt) && IsFacetObject(jt, "jobType"))
            {
                _path.PushProperty("jobType");
                jobType = new JobTypeFacet(OptionalString(jt, "processingType"), OptionalString(jt, "integration"), OptionalString(jt, "jobType"));
                _path.Pop();
            }

            if (raw.TryGetValue("sql", out var q) && IsFacetObject(q, "sql"))
            {
                _path.PushProperty("sql");
                sql = new SqlJobFacet(OptionalString(q, "query"), OptionalString(q, "dialect"));
                _path.Pop();
            }

            facets = new JobFacets(raw, jobType, sql);
            _path.Pop();
        }

        _path.Pop();
        return new LineageJob(ns, name, facets);
    }

    private ImmutableArray<LineageDataset> ReadDatasets(JsonElement root, string property)
    {
        if (!TryGetPresent(root, property, out var array))
        {
            return ImmutableArray<LineageDataset>.Empty;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error(property, $"expected an array of datasets but found {Describe(array.ValueKind)}");
        }

        _path.PushProperty(property);
        var builder = ImmutableArray.CreateBuilder<LineageDataset>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            _path.PushIndex(index++);
            builder.Add(ReadDataset(item));
            _path.Pop();
        }

        _path.Pop();
        return builder.MoveToImmutable();
    }

    private LineageDataset ReadDatasetAt(string property, JsonElement element)
    {
        _path.PushProperty(property);
        var dataset = ReadDataset(element);
        _path.Pop();
        return dataset;
    }

    private LineageDataset ReadDataset(JsonElement element)
    {
        ExpectObject(element);
        var ns = RequiredString(element, "namespace");
        var name = RequiredString(element, "name");
        var facets = ReadDatasetFacets(element, "facets");
        var inputFacets = ReadDatasetFacets(element, "inputFacets");
        var outputFacets = ReadDatasetFacets(element, "outputFacets");
        return new LineageDataset(ns, name, facets, inputFacets, outputFacets);
    }

    private DatasetFacets ReadDatasetFacets(JsonElement dataset, string property)
    {
        if (!TryGetPresent(dataset, property, out var element))
        {
            return DatasetFacets.Empty;
        }

        _path.PushProperty(property);
        var raw = ReadRawFacets(element);
        var schema = Typed(raw, "schema", ReadSchema);
        var metrics = Typed(raw, "dataQualityMetrics", ReadMetrics);
        var assertions = Typed(raw, "dataQualityAssertions", ReadAssertions);
        var statistics = Typed(raw, "outputStatistics", e => new OutputStatisticsFacet(OptionalInt64(e, "rowCount"), OptionalInt64(e, "size"), OptionalInt64(e, "fileCount")));
        var columnLineage = Typed(raw, "columnLineage", ReadColumnLineage);
        var version = Typed(raw, "version", e => new DatasetVersionFacet(OptionalString(e, "datasetVersion")));
        var lifecycle = Typed(raw, "lifecycleStateChange", ReadLifecycle);
        _path.Pop();
        return new DatasetFacets(raw, schema, metrics, assertions, statistics, columnLineage, version, lifecycle);
    }

    private T? Typed<T>(ReadOnlyDictionary<string, JsonElement> raw, string name, Func<JsonElement, T> read)
        where T : class
    {
        if (!raw.TryGetValue(name, out var element) || !IsFacetObject(element, name))
        {
            return null;
        }

        _path.PushProperty(name);
        var facet = read(element);
        _path.Pop();
        return facet;
    }

    private SchemaFacet ReadSchema(JsonElement element)
    {
        var fields = ReadSchemaFields(element, depth: 0);
        return new SchemaFacet(fields, SchemaFingerprint.Compute(fields));
    }

    private ImmutableArray<SchemaField> ReadSchemaFields(JsonElement owner, int depth)
    {
        if (!TryGetPresent(owner, "fields", out var array))
        {
            return ImmutableArray<SchemaField>.Empty;
        }

        ExpectArray(array, "fields");
        _path.PushProperty("fields");
        var builder = ImmutableArray.CreateBuilder<SchemaField>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            _path.PushIndex(index++);
            ExpectObject(item);
            builder.Add(new SchemaField(
                OptionalString(item, "name") ?? string.Empty,
                OptionalString(item, "type"),
                OptionalString(item, "description"),
                ReadSchemaFields(item, depth + 1)));
            _path.Pop();
        }

        _path.Pop();
        return builder.MoveToImmutable();
    }

    private DataQualityMetricsFacet ReadMetrics(JsonElement element)
    {
        var columns = ImmutableArray<ColumnMetrics>.Empty;
        if (TryGetPresent(element, "columnMetrics", out var map))
        {
            _path.PushProperty("columnMetrics");
            ExpectObject(map);
            var builder = ImmutableArray.CreateBuilder<ColumnMetrics>();
            foreach (var property in map.EnumerateObject())
            {
                var column = NameOf(property);
                var value = property.Value;
                if (value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                _path.PushProperty(column);
                ExpectObject(value);
                builder.Add(new ColumnMetrics(
                    column,
                    OptionalInt64(value, "nullCount"),
                    OptionalInt64(value, "distinctCount"),
                    OptionalDouble(value, "sum"),
                    OptionalDouble(value, "count"),
                    OptionalDouble(value, "min"),
                    OptionalDouble(value, "max"),
                    ReadQuantiles(value)));
                _path.Pop();
            }

            columns = builder.ToImmutable();
            _path.Pop();
        }

        return new DataQualityMetricsFacet(OptionalInt64(element, "rowCount"), OptionalInt64(element, "bytes"), OptionalInt64(element, "fileCount"), columns);
    }

    private ReadOnlyDictionary<string, double> ReadQuantiles(JsonElement column)
    {
        if (!TryGetPresent(column, "quantiles", out var map))
        {
            return ReadOnlyDictionary<string, double>.Empty;
        }

        _path.PushProperty("quantiles");
        ExpectObject(map);
        var quantiles = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                var quantile = NameOf(property);
                quantiles[quantile] = AsDouble(property.Value, quantile);
            }
        }

        _path.Pop();
        return new ReadOnlyDictionary<string, double>(quantiles);
    }

    private DataQualityAssertionsFacet ReadAssertions(JsonElement element)
    {
        if (!TryGetPresent(element, "assertions", out var array))
        {
            return new DataQualityAssertionsFacet(ImmutableArray<DataQualityAssertion>.Empty);
        }

        ExpectArray(array, "assertions");
        _path.PushProperty("assertions");
        var builder = ImmutableArray.CreateBuilder<DataQualityAssertion>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            _path.PushIndex(index++);
            ExpectObject(item);
            builder.Add(new DataQualityAssertion(OptionalString(item, "assertion"), OptionalBoolean(item, "success"), OptionalString(item, "column")));
            _path.Pop();
        }

        _path.Pop();
        return new DataQualityAssertionsFacet(builder.MoveToImmutable());
    }

    private ColumnLineageFacet ReadColumnLineage(JsonElement element)
    {
        if (!TryGetPresent(element, "fields", out var map))
        {
            return new ColumnLineageFacet(ImmutableArray<ColumnLineageField>.Empty);
        }

        _path.PushProperty("fields");
        ExpectObject(map);
        var builder = ImmutableArray.CreateBuilder<ColumnLineageField>();
        foreach (var property in map.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            var field = NameOf(property);
            _path.PushProperty(field);
            ExpectObject(property.Value);
            builder.Add(new ColumnLineageField(field, ReadInputFields(property.Value)));
            _path.Pop();
        }

        _path.Pop();
        return new ColumnLineageFacet(builder.ToImmutable());
    }

    private ImmutableArray<ColumnLineageInputField> ReadInputFields(JsonElement field)
    {
        if (!TryGetPresent(field, "inputFields", out var array))
        {
            return ImmutableArray<ColumnLineageInputField>.Empty;
        }

        ExpectArray(array, "inputFields");
        _path.PushProperty("inputFields");
        var builder = ImmutableArray.CreateBuilder<ColumnLineageInputField>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            _path.PushIndex(index++);
            ExpectObject(item);
            builder.Add(new ColumnLineageInputField(
                OptionalString(item, "namespace"),
                OptionalString(item, "name"),
                OptionalString(item, "field"),
                ReadTransformations(item)));
            _path.Pop();
        }

        _path.Pop();
        return builder.MoveToImmutable();
    }

    private ImmutableArray<ColumnTransformation> ReadTransformations(JsonElement inputField)
    {
        if (!TryGetPresent(inputField, "transformations", out var array))
        {
            return ImmutableArray<ColumnTransformation>.Empty;
        }

        ExpectArray(array, "transformations");
        _path.PushProperty("transformations");
        var builder = ImmutableArray.CreateBuilder<ColumnTransformation>(array.GetArrayLength());
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            _path.PushIndex(index++);
            ExpectObject(item);
            builder.Add(new ColumnTransformation(
                OptionalString(item, "type"),
                OptionalString(item, "subtype"),
                OptionalString(item, "description"),
                OptionalBoolean(item, "masking")));
            _path.Pop();
        }

        _path.Pop();
        return builder.MoveToImmutable();
    }

    private LifecycleStateChangeFacet ReadLifecycle(JsonElement element)
    {
        string? previousNamespace = null;
        string? previousName = null;
        if (TryGetPresent(element, "previousIdentifier", out var previous))
        {
            _path.PushProperty("previousIdentifier");
            ExpectObject(previous);
            previousNamespace = OptionalString(previous, "namespace");
            previousName = OptionalString(previous, "name");
            _path.Pop();
        }

        return new LifecycleStateChangeFacet(OptionalString(element, "lifecycleStateChange"), previousNamespace, previousName);
    }

    /// <summary>Every facet of a map by name, JSON null facets dropped (the spec uses absence for "none").</summary>
    private ReadOnlyDictionary<string, JsonElement> ReadRawFacets(JsonElement element)
    {
        ExpectObject(element);
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null)
            {
                map[NameOf(property)] = property.Value;
            }
        }

        return new ReadOnlyDictionary<string, JsonElement>(map);
    }

    /// <summary>A typed facet must be an object; anything else is an error naming the facet.</summary>
    private bool IsFacetObject(JsonElement element, string? name = null)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        throw Error(name, $"expected the facet to be an object but found {Describe(element.ValueKind)}");
    }

    private static bool TryGetPresent(JsonElement owner, string name, out JsonElement value) =>
        owner.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private string RequiredString(JsonElement owner, string name)
    {
        if (!TryGetPresent(owner, name, out var value))
        {
            throw Error(name, "missing required field");
        }

        return AsString(value, name);
    }

    private string? OptionalString(JsonElement owner, string name) =>
        TryGetPresent(owner, name, out var value) ? AsString(value, name) : null;

    private string AsString(JsonElement value, string name)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(name, $"expected a string but found {Describe(value.ValueKind)}");
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            // Unpaired surrogate escapes such as "\ud800" are valid JSON syntax but no string.
            throw new LineageFormatException(_path.Describe(name), "the string is not valid Unicode", ex);
        }
    }

    private string NameOf(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException ex)
        {
            throw new LineageFormatException(_path.Describe(), "a property name is not valid Unicode", ex);
        }
    }

    private long? OptionalInt64(JsonElement owner, string name)
    {
        if (!TryGetPresent(owner, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var whole))
            {
                return whole;
            }

            // 1000.0 is an integer written as a float; Jackson reads it as 1000 too.
            if (value.TryGetDouble(out var d) && d == Math.Floor(d) && d >= long.MinValue && d < long.MaxValue)
            {
                return (long)d;
            }

            throw Error(name, $"expected an integer but found {Clip(value.GetRawText())}");
        }

        if (value.ValueKind == JsonValueKind.String
            && long.TryParse(AsString(value, name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        throw Error(name, $"expected an integer but found {DescribeValue(value)}");
    }

    private double? OptionalDouble(JsonElement owner, string name) =>
        TryGetPresent(owner, name, out var value) ? AsDouble(value, name) : null;

    private double AsDouble(JsonElement value, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d))
        {
            return d;
        }

        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(AsString(value, name), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
        {
            return parsed;
        }

        throw Error(name, $"expected a number but found {DescribeValue(value)}");
    }

    private bool? OptionalBoolean(JsonElement owner, string name)
    {
        if (!TryGetPresent(owner, name, out var value))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(AsString(value, name), out var parsed):
                return parsed;
            default:
                throw Error(name, $"expected true or false but found {DescribeValue(value)}");
        }
    }

    private void ExpectObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(null, $"expected an object but found {Describe(element.ValueKind)}");
        }
    }

    private void ExpectArray(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Error(name, $"expected an array but found {Describe(element.ValueKind)}");
        }
    }

    private LineageFormatException Error(string? child, string problem) => new(_path.Describe(child), problem);

    private string DescribeValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? $"the string '{Clip(AsString(value, "?"))}'" : Describe(value.ValueKind);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Values echoed in errors are clipped: the message goes to logs and HTTP answers.</summary>
    private static string Clip(string value) => value.Length <= 64 ? value : string.Concat(value.AsSpan(0, 61), "...");
}
