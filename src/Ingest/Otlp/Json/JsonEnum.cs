using System.Text;
using System.Text.Json;

namespace Autopilot.Ingest.Otlp.Json;

/// <summary>
/// One proto enum as JSON sees it: OTLP/JSON writes the number, plain proto3 JSON the value name.
/// Numbers outside the named set are kept (proto3 enums are open); unknown names are an error.
/// </summary>
internal sealed class JsonEnum
{
    private readonly string _typeName;
    private readonly byte[][] _names;
    private readonly int[] _values;

    public JsonEnum(string typeName, params (string Name, int Value)[] values)
    {
        _typeName = typeName;
        _names = new byte[values.Length][];
        _values = new int[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            _names[i] = Encoding.UTF8.GetBytes(values[i].Name);
            _values[i] = values[i].Value;
        }
    }

    public static readonly JsonEnum SpanKind = new(
        "SpanKind",
        ("SPAN_KIND_UNSPECIFIED", 0),
        ("SPAN_KIND_INTERNAL", 1),
        ("SPAN_KIND_SERVER", 2),
        ("SPAN_KIND_CLIENT", 3),
        ("SPAN_KIND_PRODUCER", 4),
        ("SPAN_KIND_CONSUMER", 5));

    public static readonly JsonEnum StatusCode = new(
        "StatusCode",
        ("STATUS_CODE_UNSET", 0),
        ("STATUS_CODE_OK", 1),
        ("STATUS_CODE_ERROR", 2));

    public static readonly JsonEnum AggregationTemporality = new(
        "AggregationTemporality",
        ("AGGREGATION_TEMPORALITY_UNSPECIFIED", 0),
        ("AGGREGATION_TEMPORALITY_DELTA", 1),
        ("AGGREGATION_TEMPORALITY_CUMULATIVE", 2));

    public static readonly JsonEnum SeverityNumber = new("SeverityNumber", SeverityValues());

    public int Read(ref Utf8JsonReader reader, JsonCursor cursor)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (reader.TryGetInt32(out var number))
            {
                return number;
            }
        }
        else if (reader.TokenType == JsonTokenType.String)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (reader.ValueTextEquals(_names[i]))
                {
                    return _values[i];
                }
            }
        }

        throw cursor.Error($"{JsonCursor.Describe(ref reader)} is not a valid {_typeName}");
    }

    private static (string, int)[] SeverityValues()
    {
        var levels = new[] { "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL" };
        var values = new (string, int)[1 + (levels.Length * 4)];
        values[0] = ("SEVERITY_NUMBER_UNSPECIFIED", 0);
        for (var l = 0; l < levels.Length; l++)
        {
            for (var k = 1; k <= 4; k++)
            {
                var number = (l * 4) + k;
                values[number] = ("SEVERITY_NUMBER_" + levels[l] + (k == 1 ? string.Empty : k.ToString(System.Globalization.CultureInfo.InvariantCulture)), number);
            }
        }

        return values;
    }
}
