using System.Buffers.Binary;

namespace Autopilot.Simulator.Telemetry;

/// <summary>
/// Stamps simulated time onto an OTLP <c>ExportMetricsServiceRequest</c> encoded by the SDK's exporter.
/// </summary>
/// <remarks>
/// The SDK stamps metric points with the wall clock at collection (<c>MetricPoint.EndTime</c> has no setter), so
/// a simulation running hours of event time in seconds would have its metrics in the wrong place. The two times
/// of every data point (<c>start_time_unix_nano</c> = 2, <c>time_unix_nano</c> = 3, both <c>fixed64</c> in
/// Number-, Histogram-, ExponentialHistogram- and SummaryDataPoint) are rewritten in place: a fixed64 keeps its
/// 8 bytes, so no length prefix changes and the rest of the SDK's bytes are sent as they are. The walk follows the
/// OTLP v1 field numbers: request.resource_metrics(1) → scope_metrics(2) → metrics(2) → gauge(5) | sum(7) |
/// histogram(9) | exponential_histogram(10) | summary(11) → data_points(1).
/// </remarks>
internal static class OtlpMetricTimestamps
{
    private const int VarInt = 0;
    private const int Fixed64 = 1;
    private const int LengthDelimited = 2;
    private const int Fixed32 = 5;

    /// <summary>Rewrites every data point's start and end time; returns the number of points stamped.</summary>
    /// <exception cref="FormatException">The bytes are not a well-formed protobuf message.</exception>
    public static int Rewrite(Span<byte> request, ulong startUnixNano, ulong timeUnixNano)
    {
        var points = 0;
        Walk(request, Level.Request, startUnixNano, timeUnixNano, ref points);
        return points;
    }

    private enum Level
    {
        Request,
        ResourceMetrics,
        ScopeMetrics,
        Metric,
        Data,
        DataPoint,
    }

    private static void Walk(Span<byte> message, Level level, ulong start, ulong time, ref int points)
    {
        var pos = 0;
        while (pos < message.Length)
        {
            var tag = ReadVarInt(message, ref pos);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            switch (wire)
            {
                case VarInt:
                    ReadVarInt(message, ref pos);
                    break;
                case Fixed64:
                    Need(message, pos, 8);
                    if (level == Level.DataPoint && field is 2 or 3)
                    {
                        BinaryPrimitives.WriteUInt64LittleEndian(message.Slice(pos, 8), field == 2 ? start : time);
                        if (field == 3)
                        {
                            points++;
                        }
                    }

                    pos += 8;
                    break;
                case LengthDelimited:
                    var length = ReadVarInt(message, ref pos);
                    if (length > (ulong)(message.Length - pos))
                    {
                        throw new FormatException($"a length-delimited field of {length} bytes runs past the end of its message");
                    }

                    var inner = message.Slice(pos, (int)length);
                    if (Child(level, field) is { } child)
                    {
                        Walk(inner, child, start, time, ref points);
                    }

                    pos += (int)length;
                    break;
                case Fixed32:
                    Need(message, pos, 4);
                    pos += 4;
                    break;
                default:
                    throw new FormatException($"wire type {wire} is not used by OTLP");
            }
        }
    }

    private static Level? Child(Level level, int field) => (level, field) switch
    {
        (Level.Request, 1) => Level.ResourceMetrics,
        (Level.ResourceMetrics, 2) => Level.ScopeMetrics,
        (Level.ScopeMetrics, 2) => Level.Metric,
        (Level.Metric, 5 or 7 or 9 or 10 or 11) => Level.Data,
        (Level.Data, 1) => Level.DataPoint,
        _ => null,
    };

    private static ulong ReadVarInt(ReadOnlySpan<byte> buffer, ref int pos)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= buffer.Length)
            {
                throw new FormatException("a varint runs past the end of the message");
            }

            var b = buffer[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("a varint is longer than 10 bytes");
    }

    private static void Need(ReadOnlySpan<byte> buffer, int pos, int bytes)
    {
        if (buffer.Length - pos < bytes)
        {
            throw new FormatException("a fixed-size field runs past the end of the message");
        }
    }
}
