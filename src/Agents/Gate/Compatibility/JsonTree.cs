using System.Text;
using System.Text.Json;

namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>Parses JSON into <see cref="JNode"/>s that remember their line (System.Text.Json's DOM does not).</summary>
internal static class JsonTree
{
    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        MaxDepth = 256,
    };

    /// <summary>Parses <paramref name="text"/>; throws <see cref="SchemaParseException"/> naming <paramref name="file"/> and the line.</summary>
    public static JNode Parse(string text, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                throw new SchemaParseException(file, 1, "the file is empty; expected a JSON document");
            }

            var root = ReadValue(ref reader, lineStarts);
            if (reader.Read())
            {
                throw new SchemaParseException(file, LineOf(lineStarts, reader.TokenStartIndex), "unexpected content after the JSON document");
            }

            return root;
        }
        catch (JsonException e)
        {
            throw new SchemaParseException(file, (int)(e.LineNumber ?? 0) + 1, "not valid JSON: " + FirstSentence(e.Message));
        }
    }

    private static JNode ReadValue(ref Utf8JsonReader reader, List<long> lineStarts)
    {
        var line = LineOf(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var props = new List<KeyValuePair<string, JNode>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    props.Add(new(name, ReadValue(ref reader, lineStarts)));
                }

                return new JNode(JKind.Object, line) { Properties = props };
            case JsonTokenType.StartArray:
                var items = new List<JNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader, lineStarts));
                }

                return new JNode(JKind.Array, line) { Items = items };
            case JsonTokenType.String:
                return new JNode(JKind.String, line) { Text = reader.GetString() };
            case JsonTokenType.Number:
                return new JNode(JKind.Number, line) { Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.True:
                return new JNode(JKind.True, line);
            case JsonTokenType.False:
                return new JNode(JKind.False, line);
            default:
                return new JNode(JKind.Null, line);
        }
    }

    private static List<long> LineStarts(byte[] bytes)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineOf(List<long> lineStarts, long offset)
    {
        var i = lineStarts.BinarySearch(offset);
        return (i >= 0 ? i : ~i - 1) + 1;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd('.', ' ');
    }
}
