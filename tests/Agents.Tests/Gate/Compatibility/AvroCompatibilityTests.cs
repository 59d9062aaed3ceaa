using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Tests.Gate.Compatibility;

/// <summary>Avro schema resolution rules, one small case per row: old fields, new fields, level, expected rules.</summary>
public sealed class AvroCompatibilityTests
{
    private const string A = "{\"name\":\"a\",\"type\":\"int\"}";

    public static TheoryData<string, string, string, string, string> FieldCases => new()
    {
        { "identical", A, A, "FULL", "" },
        { "field added without default", A, A + ",{\"name\":\"b\",\"type\":\"string\"}", "BACKWARD", "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "field added without default, forward", A, A + ",{\"name\":\"b\",\"type\":\"string\"}", "FORWARD", "" },
        { "field added with default", A, A + ",{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}", "FULL", "" },
        { "field removed without default", A + ",{\"name\":\"b\",\"type\":\"string\"}", A, "FORWARD", "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "field removed without default, backward", A + ",{\"name\":\"b\",\"type\":\"string\"}", A, "BACKWARD", "" },
        { "field removed that had a default", A + ",{\"name\":\"b\",\"type\":\"string\",\"default\":\"\"}", A, "FULL", "" },
        { "int promoted to long", A, "{\"name\":\"a\",\"type\":\"long\"}", "BACKWARD", "" },
        { "int promoted to long, forward", A, "{\"name\":\"a\",\"type\":\"long\"}", "FORWARD", "TYPE_MISMATCH" },
        { "int to float", A, "{\"name\":\"a\",\"type\":\"float\"}", "BACKWARD", "" },
        { "int to double", A, "{\"name\":\"a\",\"type\":\"double\"}", "BACKWARD", "" },
        { "long to double", "{\"name\":\"a\",\"type\":\"long\"}", "{\"name\":\"a\",\"type\":\"double\"}", "BACKWARD", "" },
        { "float to double", "{\"name\":\"a\",\"type\":\"float\"}", "{\"name\":\"a\",\"type\":\"double\"}", "BACKWARD", "" },
        { "double narrowed to float", "{\"name\":\"a\",\"type\":\"double\"}", "{\"name\":\"a\",\"type\":\"float\"}", "BACKWARD", "TYPE_MISMATCH" },
        { "long narrowed to int", "{\"name\":\"a\",\"type\":\"long\"}", A, "BACKWARD", "TYPE_MISMATCH" },
        { "string to bytes both ways", "{\"name\":\"a\",\"type\":\"string\"}", "{\"name\":\"a\",\"type\":\"bytes\"}", "FULL", "" },
        { "int to string", A, "{\"name\":\"a\",\"type\":\"string\"}", "BACKWARD", "TYPE_MISMATCH" },
        { "boolean to int", "{\"name\":\"a\",\"type\":\"boolean\"}", A, "BACKWARD", "TYPE_MISMATCH" },
        { "logical type is its underlying type", A, "{\"name\":\"a\",\"type\":{\"type\":\"int\",\"logicalType\":\"date\"}}", "FULL", "" },
        { "made nullable", A, "{\"name\":\"a\",\"type\":[\"null\",\"int\"],\"default\":null}", "BACKWARD", "" },
        { "made nullable, forward", A, "{\"name\":\"a\",\"type\":[\"null\",\"int\"],\"default\":null}", "FORWARD", "TYPE_MISMATCH" },
        { "nullable made required", "{\"name\":\"a\",\"type\":[\"null\",\"int\"]}", A, "BACKWARD", "TYPE_MISMATCH" },
        { "union branch promoted", "{\"name\":\"a\",\"type\":[\"null\",\"int\"]}", "{\"name\":\"a\",\"type\":[\"null\",\"long\"]}", "BACKWARD", "" },
        { "union branch replaced", "{\"name\":\"a\",\"type\":[\"null\",\"int\"]}", "{\"name\":\"a\",\"type\":[\"null\",\"string\"]}", "BACKWARD", "MISSING_UNION_BRANCH" },
        { "union branch added", "{\"name\":\"a\",\"type\":[\"null\",\"int\"]}", "{\"name\":\"a\",\"type\":[\"null\",\"int\",\"string\"]}", "BACKWARD", "" },
        { "union branch added, forward", "{\"name\":\"a\",\"type\":[\"null\",\"int\"]}", "{\"name\":\"a\",\"type\":[\"null\",\"int\",\"string\"]}", "FORWARD", "MISSING_UNION_BRANCH" },
        { "field renamed with reader alias", A, "{\"name\":\"b\",\"type\":\"int\",\"aliases\":[\"a\"]}", "BACKWARD", "" },
        { "field renamed with reader alias, forward", A, "{\"name\":\"b\",\"type\":\"int\",\"aliases\":[\"a\"]}", "FORWARD", "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "field renamed without alias", A, "{\"name\":\"b\",\"type\":\"int\"}", "BACKWARD", "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "array items promoted", "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}", "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"long\"}}", "BACKWARD", "" },
        { "array items changed", "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}", "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"int\"}}", "BACKWARD", "TYPE_MISMATCH" },
        { "map values changed", "{\"name\":\"a\",\"type\":{\"type\":\"map\",\"values\":\"string\"}}", "{\"name\":\"a\",\"type\":{\"type\":\"map\",\"values\":\"boolean\"}}", "BACKWARD", "TYPE_MISMATCH" },
        { "array became map", "{\"name\":\"a\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}", "{\"name\":\"a\",\"type\":{\"type\":\"map\",\"values\":\"string\"}}", "BACKWARD", "TYPE_MISMATCH" },
        { "fixed size changed", "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"Id\",\"size\":16}}", "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"Id\",\"size\":8}}", "BACKWARD", "FIXED_SIZE_MISMATCH" },
        { "fixed renamed", "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"Id\",\"size\":16}}", "{\"name\":\"a\",\"type\":{\"type\":\"fixed\",\"name\":\"Uuid\",\"size\":16}}", "BACKWARD", "NAME_MISMATCH" },
        { "enum symbol added", Enum("A,B"), Enum("A,B,C"), "BACKWARD", "" },
        { "enum symbol added, forward", Enum("A,B"), Enum("A,B,C"), "FORWARD", "MISSING_ENUM_SYMBOLS" },
        { "enum symbol added, forward, old enum has a default", Enum("A,B", dflt: "A"), Enum("A,B,C"), "FORWARD", "" },
        { "enum symbol removed", Enum("A,B"), Enum("A"), "BACKWARD", "MISSING_ENUM_SYMBOLS" },
        { "enum symbol removed, new enum has a default", Enum("A,B"), Enum("A", dflt: "A"), "BACKWARD", "" },
        { "nested record field added without default", Nested("{\"name\":\"x\",\"type\":\"int\"}"), Nested("{\"name\":\"x\",\"type\":\"int\"},{\"name\":\"y\",\"type\":\"int\"}"), "BACKWARD", "READER_FIELD_MISSING_DEFAULT_VALUE" },
        { "nested record renamed", Nested("{\"name\":\"x\",\"type\":\"int\"}"), Nested("{\"name\":\"x\",\"type\":\"int\"}", "Party"), "BACKWARD", "NAME_MISMATCH" },
        { "nested record renamed with alias", Nested("{\"name\":\"x\",\"type\":\"int\"}"), Nested("{\"name\":\"x\",\"type\":\"int\"}", "Party", "\"aliases\":[\"shop.Customer\"],"), "BACKWARD", "" },
    };

    [Theory]
    [MemberData(nameof(FieldCases))]
    public void Check_FieldChange_FindsExactlyTheExpectedRules(string name, string oldFields, string newFields, string level, string expected)
    {
        Assert.NotEmpty(name);
        CompatibilityAssert.Rules(SchemaFormat.Avro, Record(oldFields), Record(newFields), level, expected);
    }

    [Fact]
    public void Check_NamespaceOnlyChange_IsCompatible()
    {
        // Avro matches records by unqualified name, so moving Order to another namespace is compatible.
        CompatibilityAssert.Rules(SchemaFormat.Avro, Record(A), Record(A).Replace("\"namespace\":\"shop\"", "\"namespace\":\"shop.v2\"", StringComparison.Ordinal), "FULL", "");
    }

    [Theory]
    [InlineData("BACKWARD", "")]
    [InlineData("FORWARD", "TYPE_MISMATCH")]
    [InlineData("FULL", "TYPE_MISMATCH")]
    [InlineData("NONE", "")]
    public void Check_TopLevelPrimitivePromoted_DependsOnTheLevel(string level, string expected) =>
        CompatibilityAssert.Rules(SchemaFormat.Avro, "\"int\"", "\"long\"", level, expected);

    [Fact]
    public void Check_RecursiveSchema_TerminatesAndFindsTheChangeInsideTheCycle()
    {
        const string Old = """{"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"next","type":["null","Node"]}]}""";
        const string New = """{"type":"record","name":"Node","fields":[{"name":"value","type":"int"},{"name":"label","type":"string"},{"name":"next","type":["null","Node"]}]}""";

        CompatibilityAssert.Rules(SchemaFormat.Avro, Old, Old, "FULL", "");
        var found = CompatibilityAssert.Find(SchemaFormat.Avro, Old, New, "BACKWARD");

        var only = Assert.Single(found);
        Assert.Equal("Node.label", only.Path);
    }

    [Fact]
    public void Check_AddedField_MessageNamesPathRuleAndPointsAtTheNewLine()
    {
        var oldText = Record(A);
        var newText = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":[\n" + A + ",\n{\"name\":\"customer\",\"type\":\"string\"}\n]}";

        var f = Assert.Single(CompatibilityAssert.Find(SchemaFormat.Avro, oldText, newText, "BACKWARD"));

        Assert.Equal("Order.customer", f.Path);
        Assert.Equal(3, f.Line);
        Assert.Equal(CompatibilityDirection.Backward, f.Direction);
        Assert.Contains("'Order.customer'", f.Message, StringComparison.Ordinal);
        Assert.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", f.Message, StringComparison.Ordinal);
        Assert.StartsWith("BACKWARD", f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"record\",\"name\":\"R\"}", 1, "needs a \"fields\" array")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[\n{\"name\":\"a\"}]}", 2, "field 'R.a' has no \"type\"")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[\n{\"name\":\"a\",\"type\":\"Missing\"}]}", 2, "unknown type 'Missing'")]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\",\"A\"]}", 1, "lists a symbol twice")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\n\"fields\":[{\"name\":\"a\",\"type\":\"int\"},\n{\"name\":\"a\",\"type\":\"int\"}]}", 3, "declares field 'a' twice")]
    [InlineData("[\"int\",\"int\"]", 1, "lists int twice")]
    [InlineData("{\"type\":\"record\",\n\"name\":\"R\",,}", 2, "not valid JSON")]
    [InlineData("{\"type\":\"record\",\"name\":\"9R\",\"fields\":[]}", 1, "not a valid Avro name")]
    public void Parse_BadSchema_ThrowsWithFileLineAndProblem(string text, int line, string problem)
    {
        var e = Assert.Throws<SchemaParseException>(() => SchemaCompatibility.Parse(SchemaFormat.Avro, text, "schemas/x.avsc"));

        Assert.Equal("schemas/x.avsc", e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private static string Record(string fields) => "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\",\"fields\":[" + fields + "]}";

    private static string Enum(string symbols, string? dflt = null) =>
        "{\"name\":\"status\",\"type\":{\"type\":\"enum\",\"name\":\"Status\",\"symbols\":[" + string.Join(",", symbols.Split(',').Select(s => $"\"{s}\"")) + "]" + (dflt is null ? string.Empty : $",\"default\":\"{dflt}\"") + "}}";

    private static string Nested(string fields, string name = "Customer", string extra = "") =>
        "{\"name\":\"customer\",\"type\":{\"type\":\"record\",\"name\":\"" + name + "\"," + extra + "\"fields\":[" + fields + "]}}";
}
