using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Autopilot.Simulator.Telemetry;

namespace Autopilot.Simulator.Lineage;

/// <summary>
/// Posts OpenLineage 2-0-2 run events as JSON to <c>/api/v1/lineage</c>, the way the OpenLineage HTTP transport
/// does (there is no OpenLineage client for .NET): one event per request, schema facets on every dataset,
/// <c>outputStatistics</c> on written outputs, <c>errorMessage</c> on failed runs.
/// </summary>
internal sealed class LineageClient : IDisposable
{
    public const string Producer = "https://github.com/autopilot/autopilot/tree/main/src/Simulator";
    private const string SchemaUrl = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    private readonly HttpClient _http;
    private readonly Uri _target;
    private readonly string _jobNamespace;

    public LineageClient(SimulatorOptions options, string jobNamespace, ExportStats stats, CancellationToken stopping)
    {
        _http = new HttpClient(new ExportHandler(new SocketsHttpHandler(), stats, options.AuthToken, options.ExportRetryTime, stopping))
        {
            Timeout = options.ExportTimeout + options.ExportRetryTime,
        };
        _target = new Uri(options.Endpoint, "/api/v1/lineage");
        _jobNamespace = jobNamespace;
    }

    /// <summary>The event as the JSON body it is sent as.</summary>
    public byte[] Serialize(LineageEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("eventType", e.EventType);
            w.WriteString("eventTime", DateTimeOffset.UnixEpoch.AddTicks(e.TimeUnixNano / 100).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteString("producer", Producer);
            w.WriteString("schemaURL", SchemaUrl);
            w.WriteStartObject("run");
            w.WriteString("runId", e.RunId);
            if (e.ErrorMessage is not null)
            {
                w.WriteStartObject("facets");
                w.WriteStartObject("errorMessage");
                Facet(w, "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet");
                w.WriteString("message", e.ErrorMessage);
                w.WriteString("programmingLanguage", "SQL");
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteStartObject("job");
            w.WriteString("namespace", _jobNamespace);
            w.WriteString("name", e.Job.Name);
            w.WriteStartObject("facets");
            w.WriteStartObject("jobType");
            Facet(w, "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet");
            w.WriteString("processingType", "BATCH");
            w.WriteString("integration", "AIRFLOW");
            w.WriteString("jobType", "TASK");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            Datasets(w, "inputs", e.Inputs, outputs: false);
            Datasets(w, "outputs", e.Outputs, outputs: true);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public async Task PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(_target, content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new HttpRequestException($"POST {_target} answered {(int)response.StatusCode}: {text.Trim()}", null, response.StatusCode);
        }
    }

    public void Dispose() => _http.Dispose();

    private static void Datasets(Utf8JsonWriter w, string name, IReadOnlyList<LineageDataset> datasets, bool outputs)
    {
        w.WriteStartArray(name);
        foreach (var d in datasets)
        {
            w.WriteStartObject();
            w.WriteString("namespace", d.Spec.Namespace);
            w.WriteString("name", d.Spec.Name);
            w.WriteStartObject("facets");
            w.WriteStartObject("schema");
            Facet(w, "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet");
            w.WriteStartArray("fields");
            foreach (var f in d.Fields)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteString("type", f.Type);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            if (outputs && d.RowCount is { } rows)
            {
                w.WriteStartObject("outputFacets");
                w.WriteStartObject("outputStatistics");
                Facet(w, "https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet");
                w.WriteNumber("rowCount", rows);
                w.WriteNumber("size", rows * 96);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Facet(Utf8JsonWriter w, string schemaUrl)
    {
        w.WriteString("_producer", Producer);
        w.WriteString("_schemaURL", schemaUrl);
    }
}
