using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Tests.Gate.Compatibility;

/// <summary>
/// Confluent's JSON Schema rules, one small case per row. Closed = <c>additionalProperties: false</c>, open = absent.
/// </summary>
public sealed class JsonSchemaCompatibilityTests
{
    private const string Id = "\"id\":{\"type\":\"string\"}";

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        { "identical", Closed(Id), Closed(Id), "FULL", "" },
        { "only annotations changed", Closed(Id), Closed("\"id\":{\"type\":\"string\",\"description\":\"order id\",\"title\":\"Id\"}"), "FULL", "" },
        { "optional property added to closed model", Closed(Id), Closed(Id + ",\"note\":{\"type\":\"string\"}"), "BACKWARD", "" },
        { "optional property added to closed model, forward", Closed(Id), Closed(Id + ",\"note\":{\"type\":\"string\"}"), "FORWARD", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL" },
        { "optional property added to closed model, full", Closed(Id), Closed(Id + ",\"note\":{\"type\":\"string\"}"), "FULL", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL" },
        { "optional property added to open model", Open(Id), Open(Id + ",\"note\":{\"type\":\"string\"}"), "BACKWARD", "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" },
        { "optional property added to open model, forward", Open(Id), Open(Id + ",\"note\":{\"type\":\"string\"}"), "FORWARD", "" },
        { "property with empty schema added to open model", Open(Id), Open(Id + ",\"note\":{}"), "BACKWARD", "" },
        { "required property added to closed model", Closed(Id), Closed(Id + ",\"note\":{\"type\":\"string\"}", "\"id\",\"note\""), "BACKWARD", "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL" },
        { "required property with default added to closed model", Closed(Id), Closed(Id + ",\"note\":{\"type\":\"string\",\"default\":\"\"}", "\"id\",\"note\""), "BACKWARD", "" },
        { "property removed from closed model", Closed(Id + ",\"note\":{\"type\":\"string\"}"), Closed(Id), "BACKWARD", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL" },
        { "property removed from open model", Open(Id + ",\"note\":{\"type\":\"string\"}"), Open(Id), "BACKWARD", "" },
        { "existing property made required", Closed(Id + ",\"note\":{\"type\":\"string\"}"), Closed(Id + ",\"note\":{\"type\":\"string\"}", "\"id\",\"note\""), "BACKWARD", "REQUIRED_ATTRIBUTE_ADDED" },
        { "existing property made required, forward", Closed(Id + ",\"note\":{\"type\":\"string\"}"), Closed(Id + ",\"note\":{\"type\":\"string\"}", "\"id\",\"note\""), "FORWARD", "" },
        { "required dropped", Closed(Id), Closed(Id, ""), "BACKWARD", "" },
        { "string to integer", Closed(Id), Closed("\"id\":{\"type\":\"integer\"}"), "BACKWARD", "TYPE_CHANGED" },
        { "integer widened to number", Closed("\"n\":{\"type\":\"integer\"}", "\"n\""), Closed("\"n\":{\"type\":\"number\"}", "\"n\""), "BACKWARD", "" },
        { "integer widened to number, forward", Closed("\"n\":{\"type\":\"integer\"}", "\"n\""), Closed("\"n\":{\"type\":\"number\"}", "\"n\""), "FORWARD", "TYPE_NARROWED" },
        { "made nullable", Closed(Id), Closed("\"id\":{\"type\":[\"string\",\"null\"]}"), "BACKWARD", "" },
        { "made nullable, forward", Closed(Id), Closed("\"id\":{\"type\":[\"string\",\"null\"]}"), "FORWARD", "SUM_TYPE_NARROWED" },
        { "enum extended", Closed(Status("\"new\",\"paid\"")), Closed(Status("\"new\",\"paid\",\"shipped\"")), "BACKWARD", "" },
        { "enum extended, forward", Closed(Status("\"new\",\"paid\"")), Closed(Status("\"new\",\"paid\",\"shipped\"")), "FORWARD", "ENUM_ARRAY_NARROWED" },
        { "enum value replaced", Closed(Status("\"new\",\"paid\"")), Closed(Status("\"new\",\"settled\"")), "BACKWARD", "ENUM_ARRAY_CHANGED" },
        { "enum added to a free string", Closed("\"status\":{\"type\":\"string\"}"), Closed(Status("\"new\"")), "BACKWARD", "ENUM_ARRAY_ADDED" },
        { "const changed", Closed("\"v\":{\"const\":1}"), Closed("\"v\":{\"const\":2}"), "BACKWARD", "ENUM_ARRAY_CHANGED" },
        { "model closed", Open(Id), Closed(Id), "BACKWARD", "ADDITIONAL_PROPERTIES_REMOVED" },
        { "model opened", Closed(Id), Open(Id), "BACKWARD", "" },
        { "additionalProperties narrowed to a schema", Open(Id), Obj(Id, "\"additionalProperties\":{\"type\":\"string\"}"), "BACKWARD", "ADDITIONAL_PROPERTIES_NARROWED" },
        { "partially open model: added property its schema covers", Obj(Id, "\"additionalProperties\":{\"type\":\"string\"}"), Obj(Id + ",\"note\":{\"type\":\"string\"}", "\"additionalProperties\":{\"type\":\"string\"}"), "BACKWARD", "" },
        { "partially open model: added property it does not cover", Obj(Id, "\"additionalProperties\":{\"type\":\"string\"}"), Obj(Id + ",\"n\":{\"type\":\"integer\"}", "\"additionalProperties\":{\"type\":\"string\"}"), "BACKWARD", "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" },
        { "partially open model: removed property it covers", Obj(Id + ",\"note\":{\"type\":\"string\"}", "\"additionalProperties\":{\"type\":\"string\"}"), Obj(Id, "\"additionalProperties\":{\"type\":\"string\"}"), "BACKWARD", "" },
        { "partially open model: removed property it does not cover", Obj(Id + ",\"n\":{\"type\":\"integer\"}", "\"additionalProperties\":{\"type\":\"string\"}"), Obj(Id, "\"additionalProperties\":{\"type\":\"string\"}"), "BACKWARD", "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL" },
        { "array items changed", Closed("\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"), Closed("\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"integer\"}}"), "BACKWARD", "TYPE_CHANGED" },
        { "array items unconstrained", Closed("\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}"), Closed("\"tags\":{\"type\":\"array\"}"), "BACKWARD", "" },
        { "maxItems added", Closed("\"tags\":{\"type\":\"array\"}"), Closed("\"tags\":{\"type\":\"array\",\"maxItems\":3}"), "BACKWARD", "MAX_ITEMS_ADDED" },
        { "maxLength added", Closed(Id), Closed("\"id\":{\"type\":\"string\",\"maxLength\":10}"), "BACKWARD", "MAX_LENGTH_ADDED" },
        { "maxLength increased", Closed("\"id\":{\"type\":\"string\",\"maxLength\":10}"), Closed("\"id\":{\"type\":\"string\",\"maxLength\":20}"), "BACKWARD", "" },
        { "maxLength decreased", Closed("\"id\":{\"type\":\"string\",\"maxLength\":20}"), Closed("\"id\":{\"type\":\"string\",\"maxLength\":10}"), "BACKWARD", "MAX_LENGTH_DECREASED" },
        { "minLength increased", Closed("\"id\":{\"type\":\"string\",\"minLength\":1}"), Closed("\"id\":{\"type\":\"string\",\"minLength\":2}"), "BACKWARD", "MIN_LENGTH_INCREASED" },
        { "pattern added", Closed(Id), Closed("\"id\":{\"type\":\"string\",\"pattern\":\"^o-\"}"), "BACKWARD", "PATTERN_ADDED" },
        { "pattern removed", Closed("\"id\":{\"type\":\"string\",\"pattern\":\"^o-\"}"), Closed(Id), "BACKWARD", "" },
        { "minimum increased", Closed("\"n\":{\"type\":\"number\",\"minimum\":0}"), Closed("\"n\":{\"type\":\"number\",\"minimum\":1}"), "BACKWARD", "MINIMUM_INCREASED" },
        { "maximum removed", Closed("\"n\":{\"type\":\"number\",\"maximum\":9}"), Closed("\"n\":{\"type\":\"number\"}"), "BACKWARD", "" },
        { "multipleOf reduced to a divisor", Closed("\"n\":{\"type\":\"number\",\"multipleOf\":10}"), Closed("\"n\":{\"type\":\"number\",\"multipleOf\":5}"), "BACKWARD", "" },
        { "multipleOf changed", Closed("\"n\":{\"type\":\"number\",\"multipleOf\":10}"), Closed("\"n\":{\"type\":\"number\",\"multipleOf\":3}"), "BACKWARD", "MULTIPLE_OF_CHANGED" },
        { "nested open model gains a property", Closed("\"customer\":" + Open(Id)), Closed("\"customer\":" + Open(Id + ",\"email\":{\"type\":\"string\"}")), "BACKWARD", "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL" },
        { "anyOf extended", Closed("\"v\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), Closed("\"v\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"},{\"type\":\"boolean\"}]}"), "BACKWARD", "" },
        { "anyOf narrowed", Closed("\"v\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), Closed("\"v\":{\"anyOf\":[{\"type\":\"string\"}]}"), "BACKWARD", "SUM_TYPE_NARROWED" },
        { "single type became anyOf containing it", Closed(Id), Closed("\"id\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), "BACKWARD", "" },
        { "anyOf became oneOf", Closed("\"v\":{\"anyOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), Closed("\"v\":{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"), "BACKWARD", "COMBINED_TYPE_CHANGED" },
        { "allOf unchanged", Closed("\"v\":{\"allOf\":[{\"type\":\"string\"}]}"), Closed("\"v\":{\"allOf\":[{\"type\":\"string\"}]}"), "FULL", "" },
        { "allOf changed", Closed("\"v\":{\"allOf\":[{\"type\":\"string\"}]}"), Closed("\"v\":{\"allOf\":[{\"type\":\"string\",\"maxLength\":3}]}"), "BACKWARD", "UNSUPPORTED_KEYWORD_CHANGED" },
        { "external reference changed", Closed("\"a\":{\"$ref\":\"address.json#/v1\"}"), Closed("\"a\":{\"$ref\":\"address.json#/v2\"}"), "BACKWARD", "REFERENCE_CHANGED" },
        { "any value became typed", Closed("\"v\":{}"), Closed("\"v\":{\"type\":\"string\"}"), "BACKWARD", "TYPE_CHANGED" },
        { "typed value became any", Closed("\"v\":{\"type\":\"string\"}"), Closed("\"v\":true"), "BACKWARD", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Change_FindsExactlyTheExpectedRules(string name, string oldSchema, string newSchema, string level, string expected)
    {
        Assert.NotEmpty(name);
        CompatibilityAssert.Rules(SchemaFormat.JsonSchema, oldSchema, newSchema, level, expected);
    }

    [Fact]
    public void Check_ChangeBehindLocalRef_IsFoundAtThePropertyPath()
    {
        const string Old = """{"type":"object","additionalProperties":false,"properties":{"address":{"$ref":"#/definitions/Address"}},"definitions":{"Address":{"type":"object","additionalProperties":false,"properties":{"zip":{"type":"string"}}}}}""";
        var newer = Old.Replace("\"zip\":{\"type\":\"string\"}", "\"zip\":{\"type\":\"integer\"}", StringComparison.Ordinal);

        var f = Assert.Single(CompatibilityAssert.Find(SchemaFormat.JsonSchema, Old, newer, "BACKWARD"));

        Assert.Equal("TYPE_CHANGED", f.Rule);
        Assert.Equal("#/properties/address/properties/zip", f.Path);
    }

    [Fact]
    public void Check_RecursiveRef_TerminatesAndSeesTheChange()
    {
        const string Old = """{"$ref":"#/definitions/Node","definitions":{"Node":{"type":"object","additionalProperties":false,"properties":{"v":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}}}""";
        var newer = Old.Replace("\"v\":{\"type\":\"integer\"}", "\"v\":{\"type\":\"integer\"},\"w\":{\"type\":\"string\"}", StringComparison.Ordinal);

        CompatibilityAssert.Rules(SchemaFormat.JsonSchema, Old, Old, "FULL", "");
        CompatibilityAssert.Rules(SchemaFormat.JsonSchema, Old, newer, "FORWARD", "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL");
    }

    [Fact]
    public void Check_AddedPropertyToOpenModel_MessageExplainsTheContentModelAndPointsAtTheNewLine()
    {
        const string Old = "{\n\"type\":\"object\",\n\"properties\":{\n\"id\":{\"type\":\"string\"}\n}\n}";
        const string New = "{\n\"type\":\"object\",\n\"properties\":{\n\"id\":{\"type\":\"string\"},\n\"email\":{\"type\":\"string\"}\n}\n}";

        var f = Assert.Single(CompatibilityAssert.Find(SchemaFormat.JsonSchema, Old, New, "BACKWARD"));

        Assert.Equal("#/properties/email", f.Path);
        Assert.Equal(5, f.Line);
        Assert.Contains("open", f.Message, StringComparison.Ordinal);
        Assert.Contains("additionalProperties: false", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"strng\"}", 1, "'strng' is not a JSON Schema type")]
    [InlineData("{\"properties\":{\n\"a\":{\"$ref\":\"#/definitions/Nope\"}}}", 2, "does not resolve")]
    [InlineData("{\"required\":\"a\"}", 1, "must be an array of property names")]
    [InlineData("{\n\"properties\":[]}", 2, "properties must be an object")]
    [InlineData("{\"properties\":{\"a\":42}}", 1, "must be an object or a boolean")]
    [InlineData("{\n\"type\":\"object\"\n\"x\":1}", 3, "not valid JSON")]
    public void Parse_BadSchema_ThrowsWithLineAndProblem(string text, int line, string problem)
    {
        var e = Assert.Throws<SchemaParseException>(() => SchemaCompatibility.Parse(SchemaFormat.JsonSchema, text, "schemas/o.schema.json"));

        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("schemas/o.schema.json:", e.Message, StringComparison.Ordinal);
    }

    private static string Closed(string props, string required = "\"id\"") => Obj(props, "\"additionalProperties\":false", required);

    private static string Open(string props, string required = "\"id\"") => Obj(props, null, required);

    private static string Obj(string props, string? extra, string required = "\"id\"") =>
        "{\"type\":\"object\",\"properties\":{" + props + "}" + (required.Length > 0 ? ",\"required\":[" + required + "]" : string.Empty) + (extra is null ? string.Empty : "," + extra) + "}";

    private static string Status(string values) => "\"status\":{\"type\":\"string\",\"enum\":[" + values + "]}";
}
