using System.Text;
using System.Text.Json;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>
/// The JSON names of one message's fields. proto3 JSON lets a writer use either the lowerCamelCase
/// JSON name or the original snake_case proto name, so each field matches both; <see cref="Match"/>
/// returns the canonical camelCase instance, which callers switch on and use in error paths.
/// </summary>
internal sealed class FieldTable
{
    private readonly string[] _names;
    private readonly byte[][] _camel;
    private readonly byte[][] _snake;

    public FieldTable(params string[] camelCaseNames)
    {
        _names = camelCaseNames;
        _camel = new byte[camelCaseNames.Length][];
        _snake = new byte[camelCaseNames.Length][];
        for (var i = 0; i < camelCaseNames.Length; i++)
        {
            _camel[i] = Encoding.UTF8.GetBytes(camelCaseNames[i]);
            _snake[i] = Encoding.UTF8.GetBytes(ToSnakeCase(camelCaseNames[i]));
        }
    }

    /// <summary>The field the current property name token names, or null for an unknown field.</summary>
    public string? Match(ref Utf8JsonReader reader)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (reader.ValueTextEquals(_camel[i]) || reader.ValueTextEquals(_snake[i]))
            {
                return _names[i];
            }
        }

        return null;
    }

    private static string ToSnakeCase(string camel)
    {
        var sb = new StringBuilder(camel.Length + 4);
        foreach (var ch in camel)
        {
            if (char.IsAsciiLetterUpper(ch))
            {
                sb.Append('_').Append(char.ToLowerInvariant(ch));
            }
            else
            {
                sb.Append(ch);
            }
        }

        return sb.ToString();
    }
}
