using Autopilot.Agents.Gate.Compatibility.Avro;
using Autopilot.Agents.Gate.Compatibility.Json;
using Autopilot.Agents.Gate.Compatibility.Protobuf;

namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>A schema file read by <see cref="SchemaCompatibility.Parse"/>; opaque outside the compatibility code.</summary>
public sealed class ParsedSchema
{
    internal ParsedSchema(SchemaFormat format, string file, object model)
    {
        Format = format;
        File = file;
        Model = model;
    }

    public SchemaFormat Format { get; }

    public string File { get; }

    internal object Model { get; }

    internal AvroSchema Avro => (AvroSchema)Model;

    internal JsonSchemaNode Json => (JsonSchemaNode)Model;

    internal ProtoFile Proto => (ProtoFile)Model;
}
