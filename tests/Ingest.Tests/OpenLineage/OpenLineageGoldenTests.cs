using System.Text.Json;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;
using Autopilot.Ingest.Tests.TestSupport;

namespace Autopilot.Ingest.Tests.OpenLineage;

/// <summary>
/// Every event under shared/data/openlineage/events is a golden case. Expectations were computed from
/// the files themselves and are hard-coded here.
///
/// What is accepted follows Marquez's <c>POST /api/v1/lineage</c> (its LineageEvent model requires
/// eventTime, producer, run.runId, job.namespace and job.name, and not schemaURL), decided per file:
/// <list type="bullet">
/// <item>001-004, 051-056, 058, 060, 061 validate strictly (INDEX.tsv) or break only facet schemas: accepted.
///   054/056 carry malformed ownership facets and 058 a parent facet without runId: Marquez does not
///   validate facets, so neither do we beyond JSON types of the typed facets (058's parent has RunId null).
///   055's dataQualityMetrics lacks rowCount: a missing typed-facet field is null, not an error.</item>
/// <item>005-012, 017, 018 lack only schemaURL (the dbt integration omits it): Marquez accepts, so do we.</item>
/// <item>013-016 break the jobType facet schema (2-0-4 facet, _deleted null): accepted, facets are lenient.</item>
/// <item>019-022 and 059 have no run.runId: Marquez answers 422, we refuse.</item>
/// <item>023-034, 046-048 have no producer; 035-045, 049, 050 have no eventTime (or a json-unit placeholder):
///   these are matcher templates from integration tests, not wire events; Marquez refuses them, so do we.
///   043 has neither run, job nor dataset: not an event at all.</item>
/// <item>057's outputStatistics.rowCount is the string "wrong": Marquez's typed facet cannot bind it, and the
///   fluentd proxy test calls it invalid; we refuse it naming the path.</item>
/// </list>
/// </summary>
public sealed class OpenLineageGoldenTests
{
    private static readonly GoldenCase[] All =
    [
        Accepted("001_client_python_tests_example_full_event_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob.mytask", "ea041791-68bc-4ae1-bd89-4c8106a157e4", 1, 1, 6, "dataQualityAssertions,outputStatistics,parent,schema"),
        Accepted("002_client_python_tests_serde_example_dataset_event_0.json", LineageEventKind.Dataset, null, "openlineage", "name", null, 0, 0, 1, "schema"),
        Accepted("003_client_python_tests_serde_example_job_event_0.json", LineageEventKind.Job, null, "openlineage", "name", null, 1, 1, 3, "schema"),
        Accepted("004_client_python_tests_serde_example_run_event_0.json", LineageEventKind.Run, "START", "openlineage", "name", "69f4acab-b87d-4fc0-b27b-8ea950370ff3", 0, 0, 1, ""),
        Accepted("005_integration_common_tests_dbt_fail_result_0.json", LineageEventKind.Run, "START", "job-namespace", "random-gcp-project.dbt_test1.dbt_bigquery_test.test_second_parallel_dbt_model", "1859ea7b-a9a2-5666-87fd-3b3b76540aa3", 1, 1, 3, ""),
        Accepted("006_integration_common_tests_dbt_fail_result_1.json", LineageEventKind.Run, "START", "job-namespace", "random-gcp-project.dbt_test1.dbt_bigquery_test.test_first_dbt_model", "660db47f-2ebf-571c-9607-8bc111d5be0c", 0, 1, 2, ""),
        Accepted("007_integration_common_tests_dbt_fail_result_3.json", LineageEventKind.Run, "COMPLETE", "job-namespace", "random-gcp-project.dbt_test1.dbt_bigquery_test.test_first_dbt_model", "52f133bc-6b9f-5eb9-b7e2-1909956fd91a", 0, 1, 3, "outputStatistics,parent,schema,sql"),
        Accepted("008_integration_common_tests_dbt_fail_result_4.json", LineageEventKind.Run, "COMPLETE", "job-namespace", "random-gcp-project.dbt_test1.dbt_bigquery_test.test_second_dbt_model", "436dde02-4318-5929-b7a0-f14ce2e9ec18", 1, 1, 3, "parent,schema,sql"),
        Accepted("009_integration_common_tests_dbt_postgres_result_0.json", LineageEventKind.Run, "START", "job-namespace", "postgres.public.jaffle_shop.stg_customers", "c5732082-2184-5edf-9fe6-a74f63f5f95f", 0, 1, 2, "parent,schema,sql"),
        Accepted("010_integration_common_tests_dbt_postgres_result_3.json", LineageEventKind.Run, "START", "job-namespace", "postgres.public.jaffle_shop.customers", "6bf71479-f42a-55ab-b7da-e0255a76caed", 3, 1, 6, "outputStatistics,parent,schema"),
        Accepted("011_integration_common_tests_dbt_postgres_result_5.json", LineageEventKind.Run, "COMPLETE", "job-namespace", "postgres.public.jaffle_shop.stg_customers", "38c73344-3fb5-5954-9467-61a4f9632e37", 0, 1, 2, "parent,schema,sql"),
        Accepted("012_integration_common_tests_dbt_postgres_result_8.json", LineageEventKind.Run, "COMPLETE", "job-namespace", "postgres.public.jaffle_shop.customers", "2720ccd8-959a-54d5-801e-fb125830a351", 3, 1, 5, "parent,schema"),
        Accepted("013_integration_common_tests_dbt_singular_test_result_0.json", LineageEventKind.Run, "START", "job-namespace", "test.my_project.assert_positive_amounts", "6edf42ed-d8d0-454a-b819-d09b9067ff99", 0, 0, 1, "jobType,parent"),
        Accepted("014_integration_common_tests_dbt_singular_test_result_1.json", LineageEventKind.Run, "START", "job-namespace", "test.my_project.assert_row_count_within_range", "aaaa0000-0000-0000-0000-000000000000", 0, 0, 1, "jobType,parent"),
        Accepted("015_integration_common_tests_dbt_singular_test_result_2.json", LineageEventKind.Run, "COMPLETE", "job-namespace", "test.my_project.assert_positive_amounts", "6edf42ed-d8d0-454a-b819-d09b9067ff99", 0, 0, 1, "jobType,parent"),
        Accepted("016_integration_common_tests_dbt_singular_test_result_3.json", LineageEventKind.Run, "FAIL", "job-namespace", "test.my_project.assert_row_count_within_range", "aaaa0000-0000-0000-0000-000000000000", 0, 0, 1, "jobType,parent"),
        Accepted("017_integration_common_tests_dbt_snapshot_result_0.json", LineageEventKind.Run, "START", "job-namespace", "postgres.postgres.snapshot_test.orders_snapshot.snapshot", "1ed18dc3-441f-51b0-ae13-9097fc6b9ea5", 1, 1, 3, "parent,schema,sql"),
        Accepted("018_integration_common_tests_dbt_snapshot_result_1.json", LineageEventKind.Run, "COMPLETE", "job-namespace", "postgres.postgres.snapshot_test.orders_snapshot.snapshot", "09a1c67f-1261-543b-addf-ef210af9ec13", 1, 1, 3, "jobType,parent,schema,sql"),
        Rejected("019_integration_common_tests_dbt_spark_thrift_result_0.json", "$.run.runId", "missing"),
        Rejected("020_integration_common_tests_dbt_spark_thrift_result_3.json", "$.run.runId", "missing"),
        Rejected("021_integration_common_tests_dbt_spark_thrift_result_5.json", "$.run.runId", "missing"),
        Rejected("022_integration_common_tests_dbt_spark_thrift_result_10.json", "$.run.runId", "missing"),
        Rejected("023_on_tests_dbt_structured_logs_postgres_run_results_failed_run_ol_events_0.json", "$.producer", "missing"),
        Rejected("024_on_tests_dbt_structured_logs_postgres_run_results_failed_run_ol_events_1.json", "$.producer", "missing"),
        Rejected("025_on_tests_dbt_structured_logs_postgres_run_results_failed_run_ol_events_3.json", "$.producer", "missing"),
        Rejected("026_on_tests_dbt_structured_logs_postgres_run_results_failed_run_ol_events_5.json", "$.producer", "missing"),
        Rejected("027_ests_dbt_structured_logs_postgres_run_results_successful_run_ol_events_0.json", "$.producer", "missing"),
        Rejected("028_ests_dbt_structured_logs_postgres_run_results_successful_run_ol_events_1.json", "$.producer", "missing"),
        Rejected("029_ests_dbt_structured_logs_postgres_run_results_successful_run_ol_events_3.json", "$.producer", "missing"),
        Rejected("030_ests_dbt_structured_logs_postgres_run_results_successful_run_ol_events_14.json", "$.producer", "missing"),
        Rejected("031_common_tests_dbt_structured_logs_snowflake_seed_results_seed_ol_events_0.json", "$.producer", "missing"),
        Rejected("032_common_tests_dbt_structured_logs_snowflake_seed_results_seed_ol_events_1.json", "$.producer", "missing"),
        Rejected("033_common_tests_dbt_structured_logs_snowflake_seed_results_seed_ol_events_3.json", "$.producer", "missing"),
        Rejected("034_common_tests_dbt_structured_logs_snowflake_seed_results_seed_ol_events_14.json", "$.producer", "missing"),
        Rejected("035_integration_flink_flink1_src_test_resources_events_expected_failed_0.json", "$.eventTime", "missing"),
        Rejected("036_integration_flink_flink1_src_test_resources_events_expected_iceberg_0.json", "$.eventTime", "missing"),
        Rejected("037_integration_flink_flink1_src_test_resources_events_expected_kafka_0.json", "$.eventTime", "not an ISO 8601"),
        Rejected("038_integration_flink_flink2_src_test_resources_events_expected_sql_kafka_0.json", "$.eventTime", "missing"),
        Rejected("039_penlineage_hook_integrations_container_cllComplexQueryCTEJoinsComplete_0.json", "$.eventTime", "missing"),
        Rejected("040_e_hive_openlineage_hook_integrations_container_cllMultiInsertsComplete_0.json", "$.eventTime", "missing"),
        Rejected("041_n_hive_hive_openlineage_hook_integrations_container_simpleCtasComplete_0.json", "$.eventTime", "missing"),
        Rejected("042_integration_spark_app_integrations_container_columnLineageJDBCComplete_0.json", "$.eventTime", "missing"),
        Rejected("043_spark_app_integrations_container_deltaMergeCommandVerificationComplete_0.json", "$", "not an OpenLineage event"),
        Rejected("044_integration_spark_app_integrations_container_pysparkCLLEnd_0.json", "$.eventTime", "missing"),
        Rejected("045_ntegration_spark_app_integrations_container_pysparkKafkaReadStartEvent_0.json", "$.eventTime", "missing"),
        Rejected("046_integration_spark_app_integrations_sparksql_1_0.json", "$.producer", "missing"),
        Rejected("047_integration_spark_app_integrations_sparksql_2_0.json", "$.producer", "missing"),
        Rejected("048_gration_spark_app_src_test_resources_test_data_serde_openlineage_event_0.json", "$.producer", "missing"),
        Rejected("049_tegration_spark_cli_tests_test_pyspark_example_expected_event_complete_0.json", "$.eventTime", "missing"),
        Rejected("050_integration_spark_cli_tests_test_pyspark_example_expected_event_start_0.json", "$.eventTime", "missing"),
        Accepted("051_proxy_fluentd_docker_test_complete_0.json", LineageEventKind.Run, "COMPLETE", "my-namespace", "my-job", "d46e465b-d358-4d32-83d4-df660ff614dd", 1, 1, 3, "schema"),
        Accepted("052_proxy_fluentd_docker_test_start_0.json", LineageEventKind.Run, "START", "my-namespace", "my-job", "d46e465b-d358-4d32-83d4-df660ff614dd", 1, 1, 3, "schema"),
        Accepted("053_proxy_fluentd_events_event_full_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob.mytask", "ea041791-68bc-4ae1-bd89-4c8106a157e4", 1, 1, 7, "dataQualityAssertions,dataQualityMetrics,outputStatistics,parent,schema,sql"),
        Accepted("054_proxy_fluentd_events_event_invalid_dataset_facet_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob", "41fb5137-f0fd-4ee5-ba5c-56f8571d1bd7", 0, 1, 2, ""),
        Accepted("055_proxy_fluentd_events_event_invalid_input_dataset_facet_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob", "41fb5137-f0fd-4ee5-ba5c-56f8571d1bd7", 1, 0, 2, "dataQualityMetrics"),
        Accepted("056_proxy_fluentd_events_event_invalid_job_facet_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob", "41fb5137-f0fd-4ee5-ba5c-56f8571d1bd7", 0, 0, 1, ""),
        Rejected("057_proxy_fluentd_events_event_invalid_output_dataset_facet_0.json", "$.outputs[0].outputFacets.outputStatistics.rowCount", "expected an integer but found the string 'wrong'"),
        Accepted("058_proxy_fluentd_events_event_invalid_run_facet_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob", "41fb5137-f0fd-4ee5-ba5c-56f8571d1bd7", 0, 0, 1, "parent"),
        Rejected("059_proxy_fluentd_events_event_no_run_id_0.json", "$.run.runId", "missing"),
        Accepted("060_proxy_fluentd_events_event_simple_0.json", LineageEventKind.Run, "COMPLETE", "my-scheduler-namespace", "myjob", "41fb5137-f0fd-4ee5-ba5c-56f8571d1bd7", 2, 1, 4, ""),
        Accepted("061_spec_tests_example_full_event_0.json", LineageEventKind.Run, "COMPLETE", "food_delivery", "dbt", "f69a6e9b-9bac-3c9a-9cf6-eacb70ecc9a9", 0, 0, 1, "sql"),
    ];

    public static TheoryData<GoldenCase> Cases() => new(All);

    [Fact]
    public void Cases_CoverEveryEventFile()
    {
        var files = Directory.GetFiles(SharedData.Path("openlineage", "events"), "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        var covered = All.Select(c => c.File).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(61, files.Length);
        Assert.Equal(files, covered);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decode_EventFile_MatchesGolden(GoldenCase golden)
    {
        var bytes = File.ReadAllBytes(SharedData.Path("openlineage", "events", golden.File));
        var signals = new List<Signal>();
        if (golden.ErrorPath is not null)
        {
            var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Decode(bytes, signals));
            Assert.Equal(golden.ErrorPath, ex.JsonPath);
            Assert.Contains(golden.ErrorText!, ex.Message, StringComparison.Ordinal);
            Assert.StartsWith(golden.ErrorPath + ": ", ex.Message, StringComparison.Ordinal);
            Assert.Empty(signals);
            return;
        }

        var evt = OpenLineageDecoder.Decode(bytes, signals);
        Assert.Equal(golden.Kind, evt.Kind);
        Assert.Equal(golden.EventType, evt.EventType);
        Assert.Equal(golden.Inputs, evt.Inputs.Length);
        Assert.Equal(golden.Outputs, evt.Outputs.Length);
        Assert.Equal(golden.RunId, evt.Run?.RunId);
        Assert.Equal(golden.Signals, signals.Count);
        Assert.Equal(golden.Facets, string.Join(",", PresentFacets(evt).Order(StringComparer.Ordinal)));

        using var json = JsonDocument.Parse(bytes);
        var expectedNanos = DateTimeOffset.Parse(json.RootElement.GetProperty("eventTime").GetString()!, null, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds() * 1_000_000;
        Assert.Equal(expectedNanos / 1_000_000, evt.EventTimeUnixNano / 1_000_000);

        if (golden.Kind == LineageEventKind.Dataset)
        {
            Assert.Equal(Urn.Create("dataset", golden.Namespace, golden.Name), signals[0].Urn);
            Assert.Equal(LineageSignalConventions.DatasetEventName, signals[0].Name);
            return;
        }

        var jobUrn = Urn.Create("job", golden.Namespace, golden.Name);
        var job = signals[0];
        Assert.Equal(SignalKind.Lineage, job.Kind);
        Assert.Equal(jobUrn, job.Urn);
        Assert.Equal(golden.Kind == LineageEventKind.Job ? "JOB" : golden.EventType, job.Name);
        Assert.Equal(golden.RunId, job.CorrelationId);
        Assert.Equal(evt.EventTimeUnixNano, job.TimeUnixNano);
        Assert.Equal(
            golden.EventType switch { "COMPLETE" => SignalStatus.Ok, "FAIL" or "ABORT" => SignalStatus.Error, _ => SignalStatus.Unset },
            job.Status);

        var datasetSignals = signals.Where(s => s.Kind == SignalKind.Lineage && s.Urn.StartsWith("urn:autopilot:dataset:", StringComparison.Ordinal)).ToList();
        Assert.Equal(golden.Inputs + golden.Outputs, datasetSignals.Count);
        Assert.Equal(golden.Inputs, datasetSignals.Count(s => s.Attributes.Get("lineage.direction") == "input"));
        Assert.Equal(golden.Outputs, datasetSignals.Count(s => s.Attributes.Get("lineage.direction") == "output"));
        Assert.All(datasetSignals, s => Assert.Equal(jobUrn, s.Attributes.Get("lineage.job")));
        var all = evt.Inputs.AddRange(evt.Outputs);
        for (var i = 0; i < all.Length; i++)
        {
            Assert.Equal(Urn.Create("dataset", all[i].Namespace, all[i].Name), datasetSignals[i].Urn);
            Assert.Equal(all[i].Schema?.Fingerprint, datasetSignals[i].Attributes.Get("schema.fingerprint"));
        }
    }

    private static HashSet<string> PresentFacets(LineageEvent evt)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (evt.Run?.Facets.Parent is not null)
        {
            names.Add("parent");
        }

        if (evt.Job?.Facets.JobType is not null)
        {
            names.Add("jobType");
        }

        if (evt.Job?.Facets.Sql is not null)
        {
            names.Add("sql");
        }

        IEnumerable<LineageDataset> datasets = evt.Dataset is null ? evt.Inputs.AddRange(evt.Outputs) : [evt.Dataset];
        foreach (var d in datasets)
        {
            if (d.Schema is not null) names.Add("schema");
            if (d.DataQualityMetrics is not null) names.Add("dataQualityMetrics");
            if (d.DataQualityAssertions is not null) names.Add("dataQualityAssertions");
            if (d.OutputStatistics is not null) names.Add("outputStatistics");
            if (d.ColumnLineage is not null) names.Add("columnLineage");
            if (d.Version is not null) names.Add("version");
            if (d.LifecycleStateChange is not null) names.Add("lifecycleStateChange");
        }

        return names;
    }

    private static GoldenCase Accepted(string file, LineageEventKind kind, string? eventType, string ns, string name, string? runId, int inputs, int outputs, int signals, string facets) =>
        new(file, kind, eventType, ns, name, runId, inputs, outputs, signals, facets, null, null);

    private static GoldenCase Rejected(string file, string errorPath, string errorText) =>
        new(file, default, null, "", "", null, 0, 0, 0, "", errorPath, errorText);

    public sealed record GoldenCase(
        string File,
        LineageEventKind Kind,
        string? EventType,
        string Namespace,
        string Name,
        string? RunId,
        int Inputs,
        int Outputs,
        int Signals,
        string Facets,
        string? ErrorPath,
        string? ErrorText)
    {
        public override string ToString() => File;
    }
}
