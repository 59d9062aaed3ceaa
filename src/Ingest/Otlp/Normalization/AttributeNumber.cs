using System.Globalization;
using Autopilot.Ingest.Otlp.Proto.Common.V1;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// What a status-code attribute holds, kept without the AnyValue it came from so the object-graph and the
/// wire decoders share one rule (<see cref="TryGetInt"/>): an int64 in int range, a string that parses as an
/// int, or a double in int range (truncated); anything else is no number.
/// </summary>
internal readonly struct AttributeNumber
{
    private readonly Kind _kind;
    private readonly long _integer;
    private readonly double _real;
    private readonly string? _text;

    private AttributeNumber(Kind kind, long integer, double real, string? text)
    {
        _kind = kind;
        _integer = integer;
        _real = real;
        _text = text;
    }

    private enum Kind : byte
    {
        None,
        Integer,
        Real,
        Text,
    }

    public static AttributeNumber FromInteger(long value) => new(Kind.Integer, value, 0, null);

    public static AttributeNumber FromReal(double value) => new(Kind.Real, 0, value, null);

    public static AttributeNumber FromText(string value) => new(Kind.Text, 0, 0, value);

    public static AttributeNumber From(AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.IntValue => FromInteger(value.IntValue),
        AnyValue.ValueOneofCase.DoubleValue => FromReal(value.DoubleValue),
        AnyValue.ValueOneofCase.StringValue => FromText(value.StringValue),
        _ => default,
    };

    public bool TryGetInt(out int result)
    {
        result = 0;
        switch (_kind)
        {
            case Kind.Integer when _integer is >= int.MinValue and <= int.MaxValue:
                result = (int)_integer;
                return true;
            case Kind.Text:
                return int.TryParse(_text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
            case Kind.Real when _real is >= int.MinValue and <= int.MaxValue:
                result = (int)_real;
                return true;
            default:
                return false;
        }
    }
}
