using Autopilot.Agents.Validate;
using NJsonSchema;

namespace Autopilot.Agents.Tests.Validate;

/// <summary>Files and runs for the validator tests: the sample services' builds, and temporary traffic / expect files.</summary>
internal sealed class SampleRun : IDisposable
{
    public const string Traffic = """
        baseUrl: http://127.0.0.1:${PORT}
        readiness:
          path: /healthz
          timeout: 60s
        requests:
          - name: read an order
            method: GET
            path: /orders/42
            repeat: 3
          - name: place an order
            method: POST
            path: /orders
            body: '{"sku":"A1"}'
            status: 202
            repeat: 2
          - name: run the export job
            method: POST
            path: /export
        """;

    public const string Expect = """
        service: orders
        spans:
          - name: GET /orders/{id}
            kind: server
            minCount: 3
            attributes: [http.request.method, http.route, http.response.status_code, url.path]
            values: { http.route: "/orders/{id}", http.request.method: GET }
          - name: GET
            kind: client
            minCount: 3
            attributes: [http.request.method, server.address, url.full]
          - name: GET /inventory/{id}
            kind: server
            service: inventory
            minCount: 3
          - name: publish orders
            kind: producer
            minCount: 2
            attributes: [messaging.system, messaging.destination.name, messaging.operation.type]
          - name: process orders
            kind: consumer
            service: orders-worker
            minCount: 2
        propagation:
          - name: orders calls inventory
            from: { service: orders, kind: client }
            to: { service: inventory, kind: server }
            minCount: 3
          - name: order messages
            via: message
            from: { service: orders, kind: producer, name: publish orders }
            to: { service: orders-worker, kind: consumer }
            minCount: 2
        metrics:
          - name: http.server.request.duration
            attributes: [http.request.method, http.route, http.response.status_code]
          - name: orders.placed
        lineage:
          - job: orders.daily_export
            namespace: orders
            eventTypes: [START, COMPLETE]
        """;

    public SampleRun()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("autopilot-validate-").FullName;
    }

    public string Directory { get; }

    public static string OrdersCommand => $"exec dotnet {Dll("Orders", "Autopilot.ValidateSample.Orders.dll")}";

    public static string KafkaCommand => $"exec dotnet {Dll("Kafka", "Autopilot.ValidateSample.Kafka.dll")}";

    public static string PlainCommand => $"exec dotnet {Dll("Plain", "Autopilot.ValidateSample.Plain.dll")}";

    public string TraceLog => Path.Combine(Directory, "trace-ids.txt");

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    public ValidationOptions Options(string command, string expect = Expect, string traffic = Traffic, string protocol = "http/protobuf")
    {
        var options = new ValidationOptions
        {
            Command = command,
            TrafficPath = Write("traffic.yaml", traffic),
            ExpectPath = Write("expect.yaml", expect),
            Protocol = protocol,
            WorkingDirectory = Directory,
            CollectTimeout = TimeSpan.FromSeconds(60),
        };
        options.Environment["SAMPLE_TRACE_LOG"] = TraceLog;
        return options;
    }

    /// <summary>The trace ids the sample service itself wrote for its server spans: the ones that really exist.</summary>
    public HashSet<string> TraceIdsWrittenByService() =>
        File.Exists(TraceLog) ? [.. File.ReadAllLines(TraceLog).Where(l => l.Length > 0)] : [];

    public static async Task AssertMatchesSchemaAsync(ValidationReport report)
    {
        var schema = await JsonSchema.FromFileAsync(RepoPaths.Schema("validation-report.schema.json"));
        var json = ValidationReportJson.Serialize(report);
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.ToString())) + "\n" + json);
    }

    public static ValidationCheck Check(ValidationReport report, string name) =>
        report.Checks.SingleOrDefault(c => c.Name == name) ?? throw new Xunit.Sdk.XunitException($"no check '{name}' in: {string.Join(", ", report.Checks.Select(c => c.Name))}");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static string Dll(string sample, string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "ValidateSamples", sample, file);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the {sample} sample service was not built next to the tests: {path}");
        }

        return path;
    }
}
