using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Tests.Gate.Compatibility;

/// <summary>Protobuf rules (Confluent's Protobuf diff plus Buf's WIRE reservations), one small case per row.</summary>
public sealed class ProtobufCompatibilityTests
{
    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        { "identical", "int32 a = 1; string b = 2;", "int32 a = 1; string b = 2;", "FULL", "" },
        { "field added", "int32 a = 1;", "int32 a = 1; string b = 2;", "FULL", "" },
        { "field renamed", "int32 a = 1;", "int32 amount = 1;", "FULL", "" },
        { "field deleted without reserving its number", "int32 a = 1; string b = 2;", "int32 a = 1;", "BACKWARD", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED" },
        { "field deleted with its number reserved", "int32 a = 1; string b = 2;", "int32 a = 1; reserved 2;", "FULL", "" },
        { "field deleted with a covering range reserved", "int32 a = 1; string b = 5;", "int32 a = 1; reserved 3 to 9;", "FULL", "" },
        { "field number changed", "int32 a = 1;", "int32 a = 2;", "BACKWARD", "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED" },
        { "int32 to int64 (same varint group)", "int32 a = 1;", "int64 a = 1;", "FULL", "" },
        { "uint64 to bool (same varint group)", "uint64 a = 1;", "bool a = 1;", "FULL", "" },
        { "int32 to sint32", "int32 a = 1;", "sint32 a = 1;", "BACKWARD", "FIELD_SCALAR_KIND_CHANGED" },
        { "sint32 to sint64", "sint32 a = 1;", "sint64 a = 1;", "FULL", "" },
        { "int32 to string", "int32 a = 1;", "string a = 1;", "BACKWARD", "FIELD_SCALAR_KIND_CHANGED" },
        { "string to bytes", "string a = 1;", "bytes a = 1;", "FULL", "" },
        { "fixed32 to sfixed32", "fixed32 a = 1;", "sfixed32 a = 1;", "FULL", "" },
        { "fixed32 to fixed64", "fixed32 a = 1;", "fixed64 a = 1;", "BACKWARD", "FIELD_SCALAR_KIND_CHANGED" },
        { "float to double", "float a = 1;", "double a = 1;", "BACKWARD", "FIELD_SCALAR_KIND_CHANGED" },
        { "enum to int32 (enums are varints)", "Status a = 1;", "int32 a = 1;", "FULL", "" },
        { "int32 to message", "int32 a = 1;", "Money a = 1;", "BACKWARD", "FIELD_KIND_CHANGED" },
        { "message type changed", "Money a = 1;", "Other a = 1;", "BACKWARD", "FIELD_NAMED_TYPE_CHANGED" },
        { "map value type changed", "map<string, int32> a = 1;", "map<string, string> a = 1;", "BACKWARD", "FIELD_SCALAR_KIND_CHANGED" },
        { "map became repeated message", "map<string, int32> a = 1;", "repeated Money a = 1;", "BACKWARD", "FIELD_KIND_CHANGED" },
        { "repeated int32 became singular", "repeated int32 a = 1;", "int32 a = 1;", "BACKWARD", "FIELD_NUMERIC_LABEL_CHANGED" },
        { "singular int64 became repeated", "int64 a = 1;", "repeated int64 a = 1;", "BACKWARD", "FIELD_NUMERIC_LABEL_CHANGED" },
        { "repeated string became singular", "repeated string a = 1;", "string a = 1;", "FULL", "" },
        { "repeated message became singular", "repeated Money a = 1;", "Money a = 1;", "BACKWARD", "FIELD_SAME_LABEL" },
        { "proto3 optional added", "int32 a = 1;", "optional int32 a = 1;", "FULL", "" },
        { "two fields moved into a new oneof", "int32 a = 1; string b = 2;", "oneof choice { int32 a = 1; string b = 2; }", "BACKWARD", "MULTIPLE_FIELDS_MOVED_TO_ONEOF" },
        { "one field moved into a new oneof", "int32 a = 1; string b = 2;", "string b = 2; oneof choice { int32 a = 1; }", "FULL", "" },
        { "field moved into an existing oneof", "int32 a = 1; oneof choice { string b = 2; }", "oneof choice { string b = 2; int32 a = 1; }", "BACKWARD", "FIELD_MOVED_TO_EXISTING_ONEOF" },
        { "oneof member deleted and reserved", "oneof choice { string b = 2; int32 c = 3; }", "oneof choice { string b = 2; } reserved 3;", "BACKWARD", "ONEOF_FIELD_REMOVED" },
        { "oneof member added", "oneof choice { string b = 2; }", "oneof choice { string b = 2; int32 c = 3; }", "FULL", "" },
        { "reserved range dropped", "int32 a = 1; reserved 5 to 10;", "int32 a = 1; reserved 5 to 7;", "BACKWARD", "RESERVED_MESSAGE_NO_DELETE" },
        { "reserved range split differently", "int32 a = 1; reserved 5 to 10;", "int32 a = 1; reserved 5 to 7, 8 to 10;", "FULL", "" },
        { "reserved name dropped", "int32 a = 1; reserved \"old\";", "int32 a = 1;", "BACKWARD", "RESERVED_MESSAGE_NO_DELETE" },
    };

    public static TheoryData<string, string, string, string, string> Proto2Cases => new()
    {
        { "optional became required", "optional int32 a = 1;", "required int32 a = 1;", "BACKWARD", "MESSAGE_SAME_REQUIRED_FIELDS" },
        { "optional became required, forward", "optional int32 a = 1;", "required int32 a = 1;", "FORWARD", "" },
        { "required became optional", "required int32 a = 1;", "optional int32 a = 1;", "FORWARD", "MESSAGE_SAME_REQUIRED_FIELDS" },
        { "required became optional, backward", "required int32 a = 1;", "optional int32 a = 1;", "BACKWARD", "" },
        { "required field added", "optional int32 a = 1;", "optional int32 a = 1; required string b = 2;", "BACKWARD", "REQUIRED_FIELD_ADDED" },
        { "required field added, forward", "optional int32 a = 1;", "optional int32 a = 1; required string b = 2;", "FORWARD", "" },
        { "required field deleted and reserved", "optional int32 a = 1; required string b = 2;", "optional int32 a = 1; reserved 2;", "FORWARD", "REQUIRED_FIELD_REMOVED" },
        { "required field deleted and reserved, backward", "optional int32 a = 1; required string b = 2;", "optional int32 a = 1; reserved 2;", "BACKWARD", "" },
        { "group kept", "optional group Item = 1 { optional int32 x = 2; }", "optional group Item = 1 { optional int32 x = 2; }", "FULL", "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_Proto3Change_FindsExactlyTheExpectedRules(string name, string oldBody, string newBody, string level, string expected)
    {
        Assert.NotEmpty(name);
        CompatibilityAssert.Rules(SchemaFormat.Protobuf, File("proto3", oldBody), File("proto3", newBody), level, expected);
    }

    [Theory]
    [MemberData(nameof(Proto2Cases))]
    public void Check_Proto2Change_FindsExactlyTheExpectedRules(string name, string oldBody, string newBody, string level, string expected)
    {
        Assert.NotEmpty(name);
        CompatibilityAssert.Rules(SchemaFormat.Protobuf, File("proto2", oldBody), File("proto2", newBody), level, expected);
    }

    [Theory]
    [InlineData("enum Status { NEW = 0; PAID = 1; }", "enum Status { NEW = 0; PAID = 1; SHIPPED = 2; }", "")]
    [InlineData("enum Status { NEW = 0; PAID = 1; }", "enum Status { NEW = 0; }", "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED")]
    [InlineData("enum Status { NEW = 0; PAID = 1; }", "enum Status { NEW = 0; reserved 1; }", "")]
    [InlineData("enum Status { NEW = 0; PAID = 1; }", "enum Status { NEW = 0; SETTLED = 1; }", "")]
    [InlineData("enum Status { NEW = 0; reserved 7; }", "enum Status { NEW = 0; }", "RESERVED_ENUM_NO_DELETE")]
    public void Check_EnumChange_FindsExactlyTheExpectedRules(string oldEnum, string newEnum, string expected) =>
        CompatibilityAssert.Rules(SchemaFormat.Protobuf, Top(oldEnum), Top(newEnum), "FULL", expected);

    [Fact]
    public void Check_MessageRemovedOrPackageChanged_AreReported()
    {
        var old = "syntax = \"proto3\";\npackage shop.v1;\nmessage A { int32 x = 1; }\nmessage B { int32 y = 1; }\n";

        CompatibilityAssert.Rules(SchemaFormat.Protobuf, old, old.Replace("message B { int32 y = 1; }\n", string.Empty, StringComparison.Ordinal), "BACKWARD", "MESSAGE_REMOVED");
        CompatibilityAssert.Rules(SchemaFormat.Protobuf, old, old.Replace("shop.v1", "shop.v2", StringComparison.Ordinal), "BACKWARD", "PACKAGE_CHANGED");
    }

    [Fact]
    public void Check_NestedMessageFieldChange_NamesTheNestedPathAndHeadLine()
    {
        const string Old = "syntax = \"proto3\";\nmessage Order {\n  message Line {\n    int32 qty = 1;\n  }\n  repeated Line lines = 1;\n}\n";
        const string New = "syntax = \"proto3\";\nmessage Order {\n  message Line {\n    string qty = 1;\n  }\n  repeated Line lines = 1;\n}\n";

        var f = Assert.Single(CompatibilityAssert.Find(SchemaFormat.Protobuf, Old, New, "BACKWARD"));

        Assert.Equal("FIELD_SCALAR_KIND_CHANGED", f.Rule);
        Assert.Equal("Order.Line.qty (#1)", f.Path);
        Assert.Equal(4, f.Line);
        Assert.Contains("int32", f.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RealisticFile_ReadsPastImportsOptionsServicesAndComments()
    {
        const string Text = """
            // Orders API
            syntax = "proto3";
            package shop.orders.v1;
            import "google/protobuf/timestamp.proto";
            option java_package = "com.shop.orders.v1";
            option (my.custom) = { a: 1 b: { c: "x;" } };

            /* An order. */
            message Order {
              string id = 1 [json_name = "orderId", deprecated = true];
              google.protobuf.Timestamp created_at = 2;
              repeated Line lines = 3;
              map<string, string> labels = 4;
              Status status = 5;
              oneof payment { string card = 6; string iban = 7; }
              reserved 8, 10 to 12, 100 to max;
              reserved "legacy";
              message Line { string sku = 1; int64 qty = 2; }
              enum Status { STATUS_UNSPECIFIED = 0; STATUS_PAID = 1 [(x) = true]; }
            }

            service Orders {
              rpc Get (Order) returns (Order) { option (google.api.http) = { get: "/v1/orders/{id}" }; }
              rpc List (Order) returns (stream Order);
            }
            """;
        var moved = Text.Replace("google.protobuf.Timestamp created_at = 2;", "string created_at = 2;", StringComparison.Ordinal);

        CompatibilityAssert.Rules(SchemaFormat.Protobuf, Text, Text, "FULL", "");
        CompatibilityAssert.Rules(SchemaFormat.Protobuf, Text, moved, "BACKWARD", "FIELD_KIND_CHANGED");
    }

    [Theory]
    [InlineData("syntax = \"proto3\";\nmessage A {\n  int32 a = 1\n}", 4, "expected ';'")]
    [InlineData("syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n  int32 b = 1;\n}", 4, "both use number 1")]
    [InlineData("syntax = \"proto3\";\nmessage A {\n  reserved 2;\n  int32 a = 2;\n}", 4, "reserves")]
    [InlineData("syntax = \"proto3\";\nmessage A {\n  int32 a = 1;\n", 4, "never closed")]
    [InlineData("syntax = \"proto4\";", 1, "unknown syntax")]
    [InlineData("syntax = \"proto3\";\nmesage A {}", 2, "unexpected 'mesage'")]
    [InlineData("syntax = \"proto3\";\nmessage A {\n  int32 a = 0;\n}", 3, "field numbers run from 1")]
    public void Parse_BadFile_ThrowsWithLineAndProblem(string text, int line, string problem)
    {
        var e = Assert.Throws<SchemaParseException>(() => SchemaCompatibility.Parse(SchemaFormat.Protobuf, text, "proto/a.proto"));

        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    private static string File(string syntax, string body) =>
        $"syntax = \"{syntax}\";\npackage shop.v1;\nmessage Money {{ int64 units = 1; }}\nmessage Other {{ int64 units = 1; }}\nenum Status {{ S0 = 0; S1 = 1; }}\nmessage Order {{\n  {body}\n}}\n";

    private static string Top(string decl) => $"syntax = \"proto3\";\npackage shop.v1;\n{decl}\n";
}
