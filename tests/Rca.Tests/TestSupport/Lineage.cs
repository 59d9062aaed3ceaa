using System.Text.Json.Nodes;
using Autopilot.Ingest.Signals;

namespace Autopilot.Rca.Tests.TestSupport;

/// <summary>OpenLineage 2-0-2 run events of one job (etl.load_orders: pg public.raw_orders → pg public.orders), as JSON text.</summary>
internal static class Lineage
{
    public static readonly string Job = Urn.Create("job", "etl", "load_orders");
    public static readonly string Input = Urn.Create("dataset", "pg", "public.raw_orders");
    public static readonly string Output = Urn.Create("dataset", "pg", "public.orders");

    public static JsonArray Fields(params (string Name, string Type)[] fields)
    {
        var array = new JsonArray();
        foreach (var (name, type) in fields)
        {
            array.Add(new JsonObject { ["name"] = name, ["type"] = type });
        }

        return array;
    }

    /// <summary>A run event whose output has the schema <paramref name="outputFields"/> (and a lifecycle state change when given).</summary>
    public static string Run(string eventType, string eventTime, JsonArray outputFields, string? lifecycle = null)
    {
        var outputFacets = new JsonObject
        {
            ["schema"] = new JsonObject
            {
                ["_producer"] = "https://example.test/etl",
                ["_schemaURL"] = "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json",
                ["fields"] = outputFields,
            },
        };
        if (lifecycle is not null)
        {
            outputFacets["lifecycleStateChange"] = new JsonObject
            {
                ["_producer"] = "https://example.test/etl",
                ["_schemaURL"] = "https://openlineage.io/spec/facets/1-0-1/LifecycleStateChangeDatasetFacet.json",
                ["lifecycleStateChange"] = lifecycle,
            };
        }

        return new JsonObject
        {
            ["eventType"] = eventType,
            ["eventTime"] = eventTime,
            ["producer"] = "https://example.test/etl",
            ["schemaURL"] = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
            ["run"] = new JsonObject { ["runId"] = "3f5e83fa-3480-44ff-99c5-ff943904e5e8" },
            ["job"] = new JsonObject { ["namespace"] = "etl", ["name"] = "load_orders" },
            ["inputs"] = new JsonArray { new JsonObject { ["namespace"] = "pg", ["name"] = "public.raw_orders" } },
            ["outputs"] = new JsonArray { new JsonObject { ["namespace"] = "pg", ["name"] = "public.orders", ["facets"] = outputFacets } },
        }.ToJsonString();
    }
}
