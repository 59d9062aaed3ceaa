using System.Globalization;
using System.Text;
using Autopilot.Ingest.Otlp.Proto.Common.V1;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Renders an AnyValue as the string a signal attribute or log name carries: primitives in invariant
/// culture, bytes as base64, arrays and key-value lists as compact JSON. Nesting is already bounded by the
/// decoders; <see cref="MaxDepth"/> is a second guard so rendering can never recurse without bound.
/// </summary>
internal static class AnyValueText
{
    public const int MaxDepth = 32;

    public static string Render(AnyValue? value)
    {
        if (value is null)
        {
            return string.Empty;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                return value.StringValue;
            case AnyValue.ValueOneofCase.BoolValue:
                return value.BoolValue ? "true" : "false";
            case AnyValue.ValueOneofCase.IntValue:
                return value.IntValue.ToString(CultureInfo.InvariantCulture);
            case AnyValue.ValueOneofCase.DoubleValue:
                return value.DoubleValue.ToString("R", CultureInfo.InvariantCulture);
            case AnyValue.ValueOneofCase.BytesValue:
                return Convert.ToBase64String(value.BytesValue.Span);
            case AnyValue.ValueOneofCase.None:
                return string.Empty;
            default:
                var sb = new StringBuilder();
                AppendJson(sb, value, 0);
                return sb.ToString();
        }
    }

    private static void AppendJson(StringBuilder sb, AnyValue value, int depth)
    {
        if (depth >= MaxDepth)
        {
            sb.Append("\"…\"");
            return;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.StringValue:
                AppendQuoted(sb, value.StringValue);
                break;
            case AnyValue.ValueOneofCase.BytesValue:
                AppendQuoted(sb, Convert.ToBase64String(value.BytesValue.Span));
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                sb.Append(value.BoolValue ? "true" : "false");
                break;
            case AnyValue.ValueOneofCase.IntValue:
                sb.Append(value.IntValue.ToString(CultureInfo.InvariantCulture));
                break;
            case AnyValue.ValueOneofCase.DoubleValue:
                var d = value.DoubleValue;
                if (double.IsFinite(d))
                {
                    sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                }
                else
                {
                    AppendQuoted(sb, d.ToString(CultureInfo.InvariantCulture));
                }

                break;
            case AnyValue.ValueOneofCase.ArrayValue:
                sb.Append('[');
                for (var i = 0; i < value.ArrayValue.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    AppendJson(sb, value.ArrayValue.Values[i], depth + 1);
                }

                sb.Append(']');
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                sb.Append('{');
                for (var i = 0; i < value.KvlistValue.Values.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    var kv = value.KvlistValue.Values[i];
                    AppendQuoted(sb, kv.Key);
                    sb.Append(':');
                    if (kv.Value is null)
                    {
                        sb.Append("null");
                    }
                    else
                    {
                        AppendJson(sb, kv.Value, depth + 1);
                    }
                }

                sb.Append('}');
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    private static void AppendQuoted(StringBuilder sb, string text)
    {
        sb.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                case '\r':
                    sb.Append("\\r");
                    break;
                case '\t':
                    sb.Append("\\t");
                    break;
                case < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
