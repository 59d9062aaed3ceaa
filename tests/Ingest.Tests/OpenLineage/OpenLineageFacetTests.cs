using System.Text.Json.Nodes;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.OpenLineage;

public sealed class OpenLineageFacetTests
{
    [Fact]
    public void Decode_FullEvent_TypedFacetsAndSignals()
    {
        var signals = new List<Signal>();
        var evt = OpenLineageDecoder.Decode(LineageTestEvents.Bytes(LineageTestEvents.FullEvent), signals);

        Assert.Equal(new DateTimeOffset(2020, 12, 28, 19, 51, 1, 641, TimeSpan.Zero), evt.EventTime);
        Assert.Equal(1609185061641000000L, evt.EventTimeUnixNano);
        Assert.Equal(new ParentRunFacet("3f5e83fa-3480-44ff-99c5-ff943904e5e8", "my-scheduler-namespace", "myjob.mytask"), evt.Run!.Facets.Parent);
        Assert.StartsWith("SELECT", evt.Job!.Facets.Sql!.Query, StringComparison.OrdinalIgnoreCase);

        var input = evt.Inputs[0];
        Assert.Equal(new DataQualityMetricsFacet(1000, 1048576, 5, []) with { ColumnMetrics = input.DataQualityMetrics!.ColumnMetrics }, input.DataQualityMetrics);
        Assert.Equal(new[] { new DataQualityAssertion("row_count_equal_to", true, null), new DataQualityAssertion("no_null_values", true, "id") }, input.DataQualityAssertions!.Assertions.ToArray());
        Assert.Equal(new OutputStatisticsFacet(2000, 2097152, 5), evt.Outputs[0].OutputStatistics);
        Assert.Contains("additionalProp1", input.Facets.Raw.Keys);
        Assert.Contains("additionalProp1", evt.Run.Facets.Raw.Keys);

        var jobUrn = Urn.Create("job", "my-scheduler-namespace", "myjob.mytask");
        var inputUrn = Urn.Create("dataset", input.Namespace, input.Name);
        var outputUrn = Urn.Create("dataset", evt.Outputs[0].Namespace, evt.Outputs[0].Name);
        var rows = signals.Where(s => s.Kind == SignalKind.Record && s.Name == "lineage.row_count").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal((inputUrn, 1000d, "dataQualityMetrics", "1048576"), (rows[0].Urn, rows[0].Value, rows[0].Attributes.Get("lineage.facet"), rows[0].Attributes.Get("dataset.bytes")));
        Assert.Equal((outputUrn, 2000d, "outputStatistics", "2097152"), (rows[1].Urn, rows[1].Value, rows[1].Attributes.Get("lineage.facet"), rows[1].Attributes.Get("dataset.bytes")));
        var assertions = signals.Where(s => s.Name == "dq.assertion").ToList();
        Assert.Equal(2, assertions.Count);
        Assert.All(assertions, s => Assert.Equal((SignalKind.Record, inputUrn, SignalStatus.Ok, jobUrn), (s.Kind, s.Urn, s.Status, s.Attributes.Get("lineage.job"))));
        Assert.Equal("no_null_values", assertions[1].Attributes.Get("dq.assertion"));
        Assert.Equal("id", assertions[1].Attributes.Get("column"));
        Assert.Equal("3f5e83fa-3480-44ff-99c5-ff943904e5e8", signals[0].Attributes.Get("lineage.parent_run_id"));
        Assert.Equal(Urn.Create("job", "my-scheduler-namespace", "myjob.mytask"), signals[0].Attributes.Get("lineage.parent_job"));
    }

    [Fact]
    public void Decode_FailedAssertion_ErrorStatusZeroValue()
    {
        var bytes = LineageTestEvents.Mutate(LineageTestEvents.FullEvent, n => n["inputs"]![0]!["inputFacets"]!["dataQualityAssertions"]!["assertions"]![1]!["success"] = false);
        var signals = new List<Signal>();
        OpenLineageDecoder.Decode(bytes, signals);
        var failed = signals.Single(s => s.Name == "dq.assertion" && s.Status == SignalStatus.Error);
        Assert.Equal(0d, failed.Value);
        Assert.Equal("id", failed.Attributes.Get("column"));
    }

    [Fact]
    public void Decode_ColumnMetrics_MetricSignalsPerColumn()
    {
        // 048 is a Spark serde template without producer; given an envelope its facets are real.
        var signals = new List<Signal>();
        var evt = OpenLineageDecoder.Decode(LineageTestEvents.WithEnvelope("048_gration_spark_app_src_test_resources_test_data_serde_openlineage_event_0.json"), signals);
        var metrics = evt.Inputs[0].DataQualityMetrics!;
        Assert.Equal((10L, 20L, 5L), (metrics.RowCount, metrics.Bytes, metrics.FileCount));
        var column = Assert.Single(metrics.ColumnMetrics);
        Assert.Equal(("mycol", 1L, 10L, 3000d, 10d, 5d, 30d), (column.Column, column.NullCount, column.DistinctCount, column.Sum, column.Count, column.Min, column.Max));
        Assert.Equal(52d, column.Quantiles["25"]);

        var metricSignals = signals.Where(s => s.Kind == SignalKind.Metric).ToList();
        Assert.Equal(
            ["dq.null_count", "dq.distinct_count", "dq.sum", "dq.count", "dq.min", "dq.max", "dq.quantile"],
            metricSignals.Select(s => s.Name).ToArray());
        Assert.Equal([1d, 10d, 3000d, 10d, 5d, 30d, 52d], metricSignals.Select(s => s.Value).ToArray());
        Assert.All(metricSignals, s => Assert.Equal("mycol", s.Attributes.Get("column")));
        Assert.Equal("25", metricSignals[^1].Attributes.Get("quantile"));
        Assert.Equal(1714564800123456789L, evt.EventTimeUnixNano);
        Assert.All(signals, s => Assert.Equal(1714564800123456789L, s.TimeUnixNano));
    }

    [Fact]
    public void Parse_ColumnLineage_InputFieldsAndTransformations()
    {
        var evt = OpenLineageDecoder.Parse(LineageTestEvents.WithEnvelope("039_penlineage_hook_integrations_container_cllComplexQueryCTEJoinsComplete_0.json"));
        var lineage = evt.Outputs[0].ColumnLineage!;
        var a = lineage.Fields.Single(f => f.Field == "a");
        var input = Assert.Single(a.InputFields);
        Assert.Equal(("hive://localhost:9083", "test.t1", "a"), (input.Namespace, input.Name, input.Field));
        Assert.Equal(new ColumnTransformation("DIRECT", "IDENTITY", "", false), Assert.Single(input.Transformations));
        Assert.True(evt.Outputs[0].Facets.Raw.ContainsKey("columnLineage"));
    }

    [Fact]
    public void Decode_ColumnLineage_OutputSignalListsTheDatasetsItDerivesFrom()
    {
        // 039 is a Hive template without eventTime/producer/runId; the envelope supplies them, its facets are real.
        var signals = new List<Signal>();
        OpenLineageDecoder.Decode(LineageTestEvents.WithEnvelope("039_penlineage_hook_integrations_container_cllComplexQueryCTEJoinsComplete_0.json"), signals);

        var output = signals.Single(s => s.Kind == SignalKind.Lineage && s.Attributes.Get("lineage.direction") == "output");
        var derived = output.Attributes.Get("lineage.derived_from")!.Split(' ');

        // Columns of test.xxx come from t1 and t3 only (t2 is joined but contributes no column).
        Assert.Equal(
            new[] { Urn.Create("dataset", "hive://localhost:9083", "test.t1"), Urn.Create("dataset", "hive://localhost:9083", "test.t3") }.Order(StringComparer.Ordinal),
            derived.Order(StringComparer.Ordinal));
        Assert.All(signals.Where(s => s.Attributes.Get("lineage.direction") == "input"), s => Assert.Null(s.Attributes.Get("lineage.derived_from")));
    }

    [Fact]
    public void Decode_VersionAndLifecycle_OnDatasetSignal()
    {
        var signals = new List<Signal>();
        var evt = OpenLineageDecoder.Decode(LineageTestEvents.WithEnvelope("043_spark_app_integrations_container_deltaMergeCommandVerificationComplete_0.json"), signals);
        Assert.Equal("2", evt.Outputs[0].Version!.DatasetVersion);
        Assert.Equal("2", signals.Single(s => s.Attributes.Get("lineage.direction") == "output").Attributes.Get("dataset.version"));

        evt = OpenLineageDecoder.Parse(LineageTestEvents.WithEnvelope("049_tegration_spark_cli_tests_test_pyspark_example_expected_event_complete_0.json"));
        Assert.Equal("CREATE", evt.Outputs[0].LifecycleStateChange!.LifecycleStateChange);
    }

    [Fact]
    public void SchemaFingerprint_ReorderSame_RetypeOrAddDifferent()
    {
        static string Fingerprint(Action<JsonArray> change) =>
            OpenLineageDecoder.Parse(LineageTestEvents.Mutate(LineageTestEvents.FullEvent, n => change(n["inputs"]![0]!["facets"]!["schema"]!["fields"]!.AsArray())))
                .Inputs[0].Schema!.Fingerprint;

        var original = Fingerprint(_ => { });
        Assert.Matches("^[0-9a-f]{16}$", original);
        Assert.Equal(original, Fingerprint(f => { var first = f[0]!; f.RemoveAt(0); f.Add(first); }));
        Assert.Equal(original, Fingerprint(f => f[0]!["description"] = "changed words only"));
        Assert.NotEqual(original, Fingerprint(f => f[0]!["type"] = "STRING"));
        Assert.NotEqual(original, Fingerprint(f => f.Add(new JsonObject { ["name"] = "added", ["type"] = "INT" })));
        Assert.NotEqual(original, Fingerprint(f => f[0]!["fields"] = new JsonArray(new JsonObject { ["name"] = "nested", ["type"] = "INT" })));
    }

    [Fact]
    public void Parse_LenientTypedFields_NumericStringsAndMissingFields()
    {
        var bytes = LineageTestEvents.Mutate(LineageTestEvents.FullEvent, n =>
        {
            n["outputs"]![0]!["outputFacets"]!["outputStatistics"]!["rowCount"] = "123";
            n["inputs"]![0]!["inputFacets"]!["dataQualityMetrics"]!.AsObject().Remove("rowCount");
        });
        var evt = OpenLineageDecoder.Parse(bytes);
        Assert.Equal(123, evt.Outputs[0].OutputStatistics!.RowCount);
        Assert.Null(evt.Inputs[0].DataQualityMetrics!.RowCount);
    }

    [Theory]
    [InlineData("2021-11-03T10:53:52.427343", 1635936832427343000L)]
    [InlineData("2020-12-28T19:52:00.001+10:00", 1609149120001000000L)]
    [InlineData("1970-01-01T00:00:00Z", 0L)]
    [InlineData("1969-12-31T23:59:59.999999999Z", -1L)]
    [InlineData("2024-01-15T10:00:00.000000+00:00", 1705312800000000000L)]
    public void Parse_EventTimeForms_UnixNanos(string eventTime, long expected)
    {
        var evt = OpenLineageDecoder.Parse(LineageTestEvents.Mutate(LineageTestEvents.FullEvent, n => n["eventTime"] = eventTime));
        Assert.Equal(expected, evt.EventTimeUnixNano);
    }

    [Theory]
    [InlineData("2021-02-30T00:00:00Z")]
    [InlineData("2021-01-01T24:00:00Z")]
    [InlineData("2021-01-01T00:00:00+15:00")]
    [InlineData("2300-01-01T00:00:00Z")]
    [InlineData("2021-01-01T00:00:00.Z")]
    [InlineData("2021-01-01")]
    public void Parse_BadEventTime_Refused(string eventTime)
    {
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(LineageTestEvents.Mutate(LineageTestEvents.FullEvent, n => n["eventTime"] = eventTime)));
        Assert.Equal("$.eventTime", ex.JsonPath);
    }
}
