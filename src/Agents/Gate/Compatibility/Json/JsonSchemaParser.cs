using System.Globalization;

namespace Autopilot.Agents.Gate.Compatibility.Json;

/// <summary>
/// Reads a JSON Schema (draft-07) into <see cref="JsonSchemaNode"/>s. <c>$ref</c>s within the document
/// (<c>#</c>, <c>#/definitions/…</c>, <c>#/$defs/…</c>, any JSON pointer) are resolved, recursive ones included;
/// other <c>$ref</c>s are kept as text.
/// </summary>
internal sealed class JsonSchemaParser
{
    /// <summary>Annotations: they never change which documents are valid.</summary>
    private static readonly HashSet<string> Annotations = new(StringComparer.Ordinal)
    {
        "$schema", "$id", "id", "$comment", "title", "description", "examples", "readOnly", "writeOnly", "deprecated", "definitions", "$defs", "format", "contentMediaType", "contentEncoding",
    };

    private readonly string _file;
    private readonly JNode _root;
    private readonly Dictionary<JNode, JsonSchemaNode> _parsed = new(ReferenceEqualityComparer.Instance);

    private JsonSchemaParser(string file, JNode root)
    {
        _file = file;
        _root = root;
    }

    /// <summary>Parses the schema text; throws <see cref="SchemaParseException"/> naming the file, line and problem.</summary>
    public static JsonSchemaNode Parse(string text, string file)
    {
        var root = JsonTree.Parse(text, file);
        return new JsonSchemaParser(file, root).Read(root, "#", 0);
    }

    private JsonSchemaNode Read(JNode node, string path, int refDepth)
    {
        if (_parsed.TryGetValue(node, out var done))
        {
            return done;
        }

        if (node.Kind is JKind.True or JKind.False)
        {
            var b = new JsonSchemaNode(node.Line) { BooleanSchema = node.Kind == JKind.True };
            _parsed[node] = b;
            return b;
        }

        if (!node.IsObject)
        {
            throw Error(node.Line, $"{path}: a schema must be an object or a boolean");
        }

        if (node.Get("$ref") is { } refNode)
        {
            // draft-07: keywords next to $ref are ignored, so the node is its target.
            if (!refNode.IsString)
            {
                throw Error(refNode.Line, $"{path}/$ref must be a string");
            }

            var reference = refNode.Text!;
            if (!reference.StartsWith('#'))
            {
                var external = new JsonSchemaNode(node.Line) { ExternalRef = reference };
                _parsed[node] = external;
                return external;
            }

            if (refDepth > 64)
            {
                throw Error(refNode.Line, $"{path}/$ref '{reference}' only leads to other $refs");
            }

            var target = Resolve(reference) ?? throw Error(refNode.Line, $"{path}/$ref '{reference}' does not resolve within this document");
            var resolved = Read(target, reference, refDepth + 1);
            _parsed[node] = resolved;
            return resolved;
        }

        var schema = new JsonSchemaNode(node.Line);
        _parsed[node] = schema;
        foreach (var (key, value) in node.Properties!)
        {
            ReadKeyword(schema, key, value, path);
        }

        return schema;
    }

    private void ReadKeyword(JsonSchemaNode schema, string key, JNode value, string path)
    {
        switch (key)
        {
            case "type":
                schema.Types = ReadTypes(value, path);
                break;
            case "enum":
                if (value.Kind != JKind.Array)
                {
                    throw Error(value.Line, $"{path}/enum must be an array");
                }

                schema.Enum = value.Items!.Select(v => v.Canonical()).Distinct(StringComparer.Ordinal).ToList();
                break;
            case "const":
                schema.Enum = [value.Canonical()];
                break;
            case "properties":
                if (!value.IsObject)
                {
                    throw Error(value.Line, $"{path}/properties must be an object");
                }

                schema.HasObjectKeywords = true;
                foreach (var (name, prop) in value.Properties!)
                {
                    schema.Properties[name] = Read(prop, $"{path}/properties/{name}", 0);
                }

                break;
            case "required":
                if (value.Kind != JKind.Array || value.Items!.Any(i => !i.IsString))
                {
                    throw Error(value.Line, $"{path}/required must be an array of property names");
                }

                schema.HasObjectKeywords = true;
                foreach (var item in value.Items!)
                {
                    schema.Required.Add(item.Text!);
                }

                break;
            case "additionalProperties":
                schema.HasObjectKeywords = true;
                switch (value.Kind)
                {
                    case JKind.True:
                        schema.ContentModel = ContentModel.Open;
                        break;
                    case JKind.False:
                        schema.ContentModel = ContentModel.Closed;
                        break;
                    case JKind.Object:
                        var extra = Read(value, path + "/additionalProperties", 0);
                        schema.ContentModel = extra.AcceptsEverything ? ContentModel.Open : ContentModel.PartiallyOpen;
                        schema.AdditionalProperties = extra.AcceptsEverything ? null : extra;
                        break;
                    default:
                        throw Error(value.Line, $"{path}/additionalProperties must be a boolean or a schema");
                }

                break;
            case "items" when value.Kind != JKind.Array:
                schema.Items = Read(value, path + "/items", 0);
                break;
            case "anyOf" or "oneOf":
                if (value.Kind != JKind.Array || value.Items!.Count == 0)
                {
                    throw Error(value.Line, $"{path}/{key} must be a non-empty array of schemas");
                }

                if (schema.Union is not null)
                {
                    schema.Unsupported[key] = value.Canonical();
                    break;
                }

                schema.UnionKeyword = key;
                schema.Union = value.Items!.Select((v, i) => Read(v, $"{path}/{key}/{i}", 0)).ToList();
                break;
            case "minLength":
                schema.MinLength = Number(value, path, key);
                break;
            case "maxLength":
                schema.MaxLength = Number(value, path, key);
                break;
            case "pattern":
                schema.Pattern = value.IsString ? value.Text : throw Error(value.Line, $"{path}/pattern must be a string");
                break;
            case "minimum":
                schema.Minimum = Number(value, path, key);
                break;
            case "maximum":
                schema.Maximum = Number(value, path, key);
                break;
            case "exclusiveMinimum" when value.Kind == JKind.Number:
                schema.ExclusiveMinimum = Number(value, path, key);
                break;
            case "exclusiveMaximum" when value.Kind == JKind.Number:
                schema.ExclusiveMaximum = Number(value, path, key);
                break;
            case "multipleOf":
                schema.MultipleOf = Number(value, path, key);
                break;
            case "minItems":
                schema.MinItems = Number(value, path, key);
                break;
            case "maxItems":
                schema.MaxItems = Number(value, path, key);
                break;
            case "uniqueItems":
                schema.UniqueItems = value.Kind == JKind.True;
                break;
            case "minProperties":
                schema.HasObjectKeywords = true;
                schema.MinProperties = Number(value, path, key);
                break;
            case "maxProperties":
                schema.HasObjectKeywords = true;
                schema.MaxProperties = Number(value, path, key);
                break;
            case "default":
                schema.HasDefault = true;
                break;
            default:
                if (!Annotations.Contains(key))
                {
                    // allOf, not, patternProperties, dependencies, if/then/else, tuple items, …: compared as text.
                    schema.Unsupported[key] = value.Canonical();
                }

                break;
        }
    }

    private HashSet<string> ReadTypes(JNode value, string path)
    {
        var names = value.Kind switch
        {
            JKind.String => [value.Text!],
            JKind.Array when value.Items!.All(i => i.IsString) => value.Items!.Select(i => i.Text!).ToList(),
            _ => throw Error(value.Line, $"{path}/type must be a type name or an array of type names"),
        };
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!JsonSchemaNode.AllTypes.Contains(name))
            {
                throw Error(value.Line, $"{path}/type: '{name}' is not a JSON Schema type (string, number, integer, boolean, null, object, array)");
            }

            types.Add(name);
        }

        return types;
    }

    private decimal Number(JNode value, string path, string key) =>
        value.Kind == JKind.Number && decimal.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
            ? d
            : throw Error(value.Line, $"{path}/{key} must be a number");

    private JNode? Resolve(string reference)
    {
        var pointer = Uri.UnescapeDataString(reference[1..]);
        var node = _root;
        if (pointer.Length == 0)
        {
            return node;
        }

        if (!pointer.StartsWith('/'))
        {
            return null;
        }

        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node.Kind switch
            {
                JKind.Object => node.Get(token),
                JKind.Array when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < node.Items!.Count => node.Items[i],
                _ => null,
            };
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    private SchemaParseException Error(int line, string problem) => new(_file, line, problem);
}
