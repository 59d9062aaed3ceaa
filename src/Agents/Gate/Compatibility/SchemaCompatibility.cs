using Autopilot.Agents.Gate.Compatibility.Avro;
using Autopilot.Agents.Gate.Compatibility.Json;
using Autopilot.Agents.Gate.Compatibility.Protobuf;

namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>
/// Schema registry compatibility between two versions of one schema file, for Avro, JSON Schema and Protobuf.
/// The rules per format are documented on <see cref="AvroCompatibility"/>, <see cref="JsonSchemaCompatibility"/>
/// and <see cref="ProtoCompatibility"/>.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>The format a file name implies: <c>.avsc</c> Avro, <c>.proto</c> Protobuf, <c>.json</c> JSON Schema; null otherwise.</summary>
    public static SchemaFormat? FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".avsc" => SchemaFormat.Avro,
        ".proto" => SchemaFormat.Protobuf,
        ".json" => SchemaFormat.JsonSchema,
        _ => null,
    };

    /// <summary>Reads a schema; throws <see cref="SchemaParseException"/> naming <paramref name="file"/>, the line and the problem.</summary>
    public static ParsedSchema Parse(SchemaFormat format, string text, string file) => format switch
    {
        SchemaFormat.Avro => new ParsedSchema(format, file, AvroParser.Parse(text, file)),
        SchemaFormat.Protobuf => new ParsedSchema(format, file, ProtoParser.Parse(text, file)),
        _ => new ParsedSchema(format, file, JsonSchemaParser.Parse(text, file)),
    };

    /// <summary>
    /// Every reason <paramref name="head"/> is not <paramref name="level"/>-compatible with <paramref name="old"/>
    /// (one earlier version; for a _TRANSITIVE level call this once per earlier version).
    /// </summary>
    public static IReadOnlyList<Incompatibility> Check(ParsedSchema old, ParsedSchema head, CompatibilityLevel level)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(head);
        if (old.Format != head.Format)
        {
            throw new ArgumentException($"cannot compare {old.Format} with {head.Format}", nameof(head));
        }

        var found = new List<Incompatibility>();
        var backward = level.ChecksBackward();
        var forward = level.ChecksForward();
        switch (head.Format)
        {
            case SchemaFormat.Avro:
                if (backward)
                {
                    AvroCompatibility.Check(reader: head.Avro, writer: old.Avro, CompatibilityDirection.Backward, found);
                }

                if (forward)
                {
                    AvroCompatibility.Check(reader: old.Avro, writer: head.Avro, CompatibilityDirection.Forward, found);
                }

                break;
            case SchemaFormat.JsonSchema:
                if (backward)
                {
                    JsonSchemaCompatibility.Check(reader: head.Json, writer: old.Json, CompatibilityDirection.Backward, found);
                }

                if (forward)
                {
                    JsonSchemaCompatibility.Check(reader: old.Json, writer: head.Json, CompatibilityDirection.Forward, found);
                }

                break;
            default:
                ProtoCompatibility.Check(old.Proto, head.Proto, backward, forward, found);
                break;
        }

        return found;
    }
}
