using System.Text.Json;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Google.Protobuf.Collections;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>JSON readers for the messages every signal shares: attributes, AnyValue, resource, scope.</summary>
internal static class OtlpJsonCommon
{
    private static readonly FieldTable KeyValueFields = new("key", "value");
    private static readonly FieldTable AnyValueFields = new(
        "stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue");
    private static readonly FieldTable ValuesFields = new("values");
    private static readonly FieldTable ResourceFields = new("attributes", "droppedAttributesCount", "entityRefs");
    private static readonly FieldTable EntityRefFields = new("schemaUrl", "type", "idKeys", "descriptionKeys");
    private static readonly FieldTable ScopeFields = new("name", "version", "attributes", "droppedAttributesCount");

    /// <summary>Reads an array of KeyValue into <paramref name="target"/>.</summary>
    public static void ReadAttributes(ref Utf8JsonReader reader, JsonCursor cursor, RepeatedField<KeyValue> target)
    {
        cursor.ExpectArray(ref reader);
        for (var i = 0; cursor.NextElement(ref reader, i); i++)
        {
            target.Add(ReadKeyValue(ref reader, cursor));
            cursor.Pop();
        }
    }

    public static void ReadStrings(ref Utf8JsonReader reader, JsonCursor cursor, RepeatedField<string> target)
    {
        cursor.ExpectArray(ref reader);
        for (var i = 0; cursor.NextElement(ref reader, i); i++)
        {
            target.Add(cursor.ReadString(ref reader));
            cursor.Pop();
        }
    }

    public static KeyValue ReadKeyValue(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var kv = new KeyValue();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = KeyValueFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "key":
                    kv.Key = cursor.ReadString(ref reader);
                    break;
                default:
                    kv.Value = ReadAnyValue(ref reader, cursor);
                    break;
            }

            cursor.Pop();
        }

        return kv;
    }

    public static AnyValue ReadAnyValue(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        if (++cursor.AnyValueDepth > JsonCursor.MaxAnyValueDepth)
        {
            throw cursor.Error($"AnyValue is nested deeper than {JsonCursor.MaxAnyValueDepth} levels");
        }

        var value = new AnyValue();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = AnyValueFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "stringValue":
                    value.StringValue = cursor.ReadString(ref reader);
                    break;
                case "boolValue":
                    value.BoolValue = cursor.ReadBool(ref reader);
                    break;
                case "intValue":
                    value.IntValue = cursor.ReadInt64(ref reader);
                    break;
                case "doubleValue":
                    value.DoubleValue = cursor.ReadDouble(ref reader);
                    break;
                case "bytesValue":
                    value.BytesValue = cursor.ReadBytes(ref reader);
                    break;
                case "arrayValue":
                    var array = new ArrayValue();
                    ReadValuesObject(ref reader, cursor, array.Values, static (ref Utf8JsonReader r, JsonCursor c) => ReadAnyValue(ref r, c));
                    value.ArrayValue = array;
                    break;
                default:
                    var list = new KeyValueList();
                    ReadValuesObject(ref reader, cursor, list.Values, static (ref Utf8JsonReader r, JsonCursor c) => ReadKeyValue(ref r, c));
                    value.KvlistValue = list;
                    break;
            }

            cursor.Pop();
        }

        cursor.AnyValueDepth--;
        return value;
    }

    public static Resource ReadResource(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var resource = new Resource();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ResourceFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "attributes":
                    ReadAttributes(ref reader, cursor, resource.Attributes);
                    break;
                case "droppedAttributesCount":
                    resource.DroppedAttributesCount = cursor.ReadUInt32(ref reader);
                    break;
                default:
                    cursor.ExpectArray(ref reader);
                    for (var i = 0; cursor.NextElement(ref reader, i); i++)
                    {
                        resource.EntityRefs.Add(ReadEntityRef(ref reader, cursor));
                        cursor.Pop();
                    }

                    break;
            }

            cursor.Pop();
        }

        return resource;
    }

    public static InstrumentationScope ReadScope(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var scope = new InstrumentationScope();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ScopeFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "name":
                    scope.Name = cursor.ReadString(ref reader);
                    break;
                case "version":
                    scope.Version = cursor.ReadString(ref reader);
                    break;
                case "attributes":
                    ReadAttributes(ref reader, cursor, scope.Attributes);
                    break;
                default:
                    scope.DroppedAttributesCount = cursor.ReadUInt32(ref reader);
                    break;
            }

            cursor.Pop();
        }

        return scope;
    }

    private static EntityRef ReadEntityRef(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        cursor.ExpectObject(ref reader);
        var entity = new EntityRef();
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = EntityRefFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            switch (field)
            {
                case "schemaUrl":
                    entity.SchemaUrl = cursor.ReadString(ref reader);
                    break;
                case "type":
                    entity.Type = cursor.ReadString(ref reader);
                    break;
                case "idKeys":
                    ReadStrings(ref reader, cursor, entity.IdKeys);
                    break;
                default:
                    ReadStrings(ref reader, cursor, entity.DescriptionKeys);
                    break;
            }

            cursor.Pop();
        }

        return entity;
    }

    /// <summary>Element reader for <see cref="ReadValuesObject{T}"/>.</summary>
    internal delegate T ElementReader<out T>(ref Utf8JsonReader reader, JsonCursor cursor);

    /// <summary>ArrayValue and KeyValueList are both <c>{"values": [...]}</c>.</summary>
    private static void ReadValuesObject<T>(ref Utf8JsonReader reader, JsonCursor cursor, RepeatedField<T> target, ElementReader<T> element)
    {
        cursor.ExpectObject(ref reader);
        while (JsonCursor.NextProperty(ref reader))
        {
            var field = ValuesFields.Match(ref reader);
            if (!cursor.EnterValue(ref reader, field))
            {
                continue;
            }

            cursor.ExpectArray(ref reader);
            for (var i = 0; cursor.NextElement(ref reader, i); i++)
            {
                target.Add(element(ref reader, cursor));
                cursor.Pop();
            }

            cursor.Pop();
        }
    }
}
