using System.Text;
using System.Text.Json.Nodes;
using Autopilot.Ingest.Tests.TestSupport;

namespace Autopilot.Ingest.Tests.OpenLineage;

/// <summary>Loads shared events and derives variants in memory (the data itself never enters the repository).</summary>
internal static class LineageTestEvents
{
    public const string FullEvent = "053_proxy_fluentd_events_event_full_0.json";

    public static byte[] Bytes(string file) => File.ReadAllBytes(SharedData.Path("openlineage", "events", file));

    public static string[] AllFiles() =>
        Directory.GetFiles(SharedData.Path("openlineage", "events"), "*.json").Order(StringComparer.Ordinal).ToArray();

    public static JsonObject Node(string file) => (JsonObject)JsonNode.Parse(Bytes(file))!;

    public static byte[] Mutate(string file, Action<JsonObject> mutate)
    {
        var node = Node(file);
        mutate(node);
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>
    /// Gives an integration-test template the envelope a real producer sends (eventTime, producer, a
    /// UUID runId, a job), so its facets (column metrics, column lineage, version, lifecycle) can be read.
    /// </summary>
    public static byte[] WithEnvelope(string file) => Mutate(file, node =>
    {
        node["eventTime"] = "2024-05-01T12:00:00.123456789Z";
        node["producer"] = "https://example.test/producer";
        node["run"] = new JsonObject { ["runId"] = "0b8d4c8e-3a0f-4a54-9d1e-1f1f4c2a9b77" };
        node["job"] ??= new JsonObject { ["namespace"] = "test", ["name"] = "job" };
        node["eventType"] = "COMPLETE";
    });
}
