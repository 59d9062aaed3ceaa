namespace Autopilot.Agents.Tests.Gate.TestSupport;

/// <summary>File contents for fixture repositories.</summary>
internal static class Repos
{
    public const string OrderAvsc = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":"int"}
        ]}
        """;

    public const string OrderAvscCustomerAdded = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":"long"},
          {"name":"customer","type":"string"}
        ]}
        """;

    public const string OrderAvscCustomerWithDefault = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"string"},
          {"name":"amount","type":"long"},
          {"name":"customer","type":"string","default":""}
        ]}
        """;

    public const string OrderProto = """
        syntax = "proto3";
        package shop.v1;
        message Order {
          string id = 1;
          int64 amount = 2;
          string note = 3;
        }
        """;

    public const string ClosedJson = """
        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
         "properties":{"id":{"type":"string"}},"required":["id"]}
        """;

    public const string ClosedJsonWithNote = """
        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,
         "properties":{"id":{"type":"string"},"note":{"type":"string"}},"required":["id"]}
        """;

    public const string OrdersContract = """
        urn: urn:autopilot:topic:kafka:orders.created
        owner: team-orders
        schema:
          - { name: id, type: string, required: true }
          - { name: amount, type: integer, required: true }
          - { name: note, type: string }
        quality:
          - rowCount > 0
        sla:
          freshness: 1h
          volume: { min: 100, per: 1h }
        slo:
          objective: 0.99
        """;

    /// <summary>A Node service with an initialised OpenTelemetry SDK, a runbook, a lineage spec and a contracted topic.</summary>
    public static GitRepoFixture HealthyNodeService(this GitRepoFixture repo, string folder = "services/orders") => repo
        .Write($"{folder}/package.json", """{ "name": "orders", "dependencies": { "@opentelemetry/sdk-node": "0.52.0", "kafkajs": "2.2.4" } }""")
        .Write($"{folder}/src/index.js", "const { NodeSDK } = require('@opentelemetry/sdk-node');\nconst sdk = new NodeSDK({});\nsdk.start();\nawait producer.send({ topic: 'orders.created', messages });\n")
        .Write($"{folder}/RUNBOOK.md", "# Orders runbook\n\n## Steps\n1. Check the consumer lag.\n")
        .Write($"{folder}/openlineage.yml", "transport:\n  type: http\n  url: http://127.0.0.1:4318\n")
        .Write("contracts/orders.yaml", OrdersContract);
}
