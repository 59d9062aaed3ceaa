using System.Text;
using System.Text.Json.Nodes;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.OpenLineage;

public sealed class OpenLineageInvalidTests
{
    private const string Full = LineageTestEvents.FullEvent;

    public static TheoryData<string, string, string> MutatedCases() => new()
    {
        { "drop eventTime", "$.eventTime", "missing required field" },
        { "drop producer", "$.producer", "missing required field" },
        { "eventTime yesterday", "$.eventTime", "'yesterday' is not an ISO 8601 date-time" },
        { "eventTime number", "$.eventTime", "expected a string but found a number" },
        { "eventType DONE", "$.eventType", "'DONE' is not one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER" },
        { "runId not uuid", "$.run.runId", "'not-a-uuid' is not a UUID" },
        { "runId number", "$.run.runId", "expected a string but found a number" },
        { "drop runId", "$.run.runId", "missing required field" },
        { "run not object", "$.run", "expected an object but found a string" },
        { "drop job", "$.job", "missing; a run event needs the job" },
        { "drop job.name", "$.job.name", "missing required field" },
        { "drop job.namespace", "$.job.namespace", "missing required field" },
        { "inputs object", "$.inputs", "expected an array of datasets but found an object" },
        { "input without namespace", "$.inputs[0].namespace", "missing required field" },
        { "rowCount abc", "$.outputs[0].outputFacets.outputStatistics.rowCount", "expected an integer but found the string 'abc'" },
        { "rowCount fraction", "$.outputs[0].outputFacets.outputStatistics.rowCount", "expected an integer but found 2.5" },
        { "dq bytes bool", "$.inputs[0].inputFacets.dataQualityMetrics.bytes", "expected an integer but found a boolean" },
        { "nullCount bool", "$.inputs[0].inputFacets.dataQualityMetrics.columnMetrics.id.nullCount", "expected an integer but found a boolean" },
        { "assertion success maybe", "$.inputs[0].inputFacets.dataQualityAssertions.assertions[1].success", "expected true or false but found the string 'maybe'" },
        { "schema fields object", "$.inputs[0].facets.schema.fields", "expected an array but found an object" },
        { "schema facet string", "$.inputs[0].facets.schema", "expected the facet to be an object but found a string" },
        { "facets array", "$.job.facets", "expected an object but found an array" },
        { "neither run job nor dataset", "$", "not an OpenLineage event" },
    };

    [Theory]
    [MemberData(nameof(MutatedCases))]
    public void Parse_MutatedEvent_ErrorNamesPathAndProblem(string mutation, string path, string problem)
    {
        var bytes = LineageTestEvents.Mutate(Full, node => Apply(node, mutation));
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(bytes));
        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("{", "not valid JSON")]
    [InlineData("{\"eventTime\": ", "not valid JSON")]
    [InlineData("[]", "expected a JSON object (an OpenLineage event) but found an array")]
    [InlineData("\"event\"", "expected a JSON object (an OpenLineage event) but found a string")]
    [InlineData("{} {}", "invalid after a single JSON value")]
    [InlineData("{\"a\":1,}", "not valid JSON")]
    [InlineData("// comment\n{}", "not valid JSON")]
    public void Parse_NotAnEventObject_ErrorAtRoot(string json, string problem)
    {
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("$", ex.JsonPath);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void Parse_TruncatedRealEvent_NotValidJson(double keep)
    {
        var bytes = LineageTestEvents.Bytes(Full);
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(bytes.AsSpan(0, (int)(bytes.Length * keep))));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InvalidUtf8_Refused()
    {
        var bytes = LineageTestEvents.Bytes(Full);
        var index = Array.IndexOf(bytes, (byte)'m');
        bytes[index] = 0xC3;
        bytes[index + 1] = 0x28;
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(bytes));
        Assert.Contains("not valid UTF-8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LoneSurrogateEscape_NamesField()
    {
        var json = Encoding.UTF8.GetString(LineageTestEvents.Bytes(Full)).Replace("\"myjob.mytask\"", "\"my\\ud800job\"", StringComparison.Ordinal);
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(Encoding.UTF8.GetBytes(json)));
        // The parent facet names the same job and comes first in the file.
        Assert.Equal("$.run.facets.parent.job.name", ex.JsonPath);
        Assert.Contains("not valid Unicode", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingDeeperThan64_NotValidJson()
    {
        var json = "{\"eventTime\":" + new string('[', 100) + new string(']', 100) + "}";
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_StaticEventWithoutSchemaUrl_Refused()
    {
        var bytes = LineageTestEvents.Mutate("002_client_python_tests_serde_example_dataset_event_0.json", n => n.Remove("schemaURL"));
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(bytes));
        Assert.Equal("$.schemaURL", ex.JsonPath);
    }

    [Fact]
    public void Parse_RunEventWithoutSchemaUrl_AcceptedByDefaultRefusedWhenStrict()
    {
        var bytes = LineageTestEvents.Mutate(Full, n => n.Remove("schemaURL"));
        Assert.Null(OpenLineageDecoder.Parse(bytes).SchemaUrl);
        var ex = Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Parse(bytes, new OpenLineageOptions { RequireRunEventSchemaUrl = true }));
        Assert.Equal("$.schemaURL", ex.JsonPath);
    }

    [Fact]
    public void Decode_Refused_AppendsNothing()
    {
        var signals = new List<Signal> { default };
        var bytes = LineageTestEvents.Mutate(Full, n => n["eventType"] = "DONE");
        Assert.Throws<LineageFormatException>(() => OpenLineageDecoder.Decode(bytes, signals));
        Assert.Single(signals);
    }

    private static void Apply(JsonObject n, string mutation)
    {
        var input = n["inputs"]![0]!.AsObject();
        var output = n["outputs"]![0]!.AsObject();
        switch (mutation)
        {
            case "drop eventTime": n.Remove("eventTime"); break;
            case "drop producer": n.Remove("producer"); break;
            case "eventTime yesterday": n["eventTime"] = "yesterday"; break;
            case "eventTime number": n["eventTime"] = 1_700_000_000; break;
            case "eventType DONE": n["eventType"] = "DONE"; break;
            case "runId not uuid": n["run"]!["runId"] = "not-a-uuid"; break;
            case "runId number": n["run"]!["runId"] = 42; break;
            case "drop runId": n["run"]!.AsObject().Remove("runId"); break;
            case "run not object": n["run"] = "r1"; break;
            case "drop job": n.Remove("job"); break;
            case "drop job.name": n["job"]!.AsObject().Remove("name"); break;
            case "drop job.namespace": n["job"]!.AsObject().Remove("namespace"); break;
            case "inputs object": n["inputs"] = new JsonObject(); break;
            case "input without namespace": input.Remove("namespace"); break;
            case "rowCount abc": output["outputFacets"]!["outputStatistics"]!["rowCount"] = "abc"; break;
            case "rowCount fraction": output["outputFacets"]!["outputStatistics"]!["rowCount"] = 2.5; break;
            case "dq bytes bool": input["inputFacets"]!["dataQualityMetrics"]!["bytes"] = true; break;
            case "nullCount bool":
                input["inputFacets"]!["dataQualityMetrics"]!["columnMetrics"] = new JsonObject { ["id"] = new JsonObject { ["nullCount"] = false } };
                break;
            case "assertion success maybe": input["inputFacets"]!["dataQualityAssertions"]!["assertions"]![1]!["success"] = "maybe"; break;
            case "schema fields object": input["facets"]!["schema"]!["fields"] = new JsonObject(); break;
            case "schema facet string": input["facets"]!["schema"] = "id int"; break;
            case "facets array": n["job"]!["facets"] = new JsonArray(); break;
            case "neither run job nor dataset": n.Remove("run"); n.Remove("job"); break;
            default: throw new ArgumentOutOfRangeException(nameof(mutation), mutation, "unknown mutation");
        }
    }
}
