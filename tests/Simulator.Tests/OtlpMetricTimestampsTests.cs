using Autopilot.Simulator.Telemetry;
using Google.Protobuf;

namespace Autopilot.Simulator.Tests;

/// <summary>The in-place stamping of simulated time onto an OTLP metrics request (field numbers from the OTLP v1 protos).</summary>
public sealed class OtlpMetricTimestampsTests
{
    [Fact]
    public void Rewrite_StampsStartAndTimeOfEveryPointKind_AndChangesNothingElse()
    {
        // ExportMetricsServiceRequest → resource_metrics(1) → scope_metrics(2) → metrics(2) → gauge(5) | sum(7) |
        // histogram(9) | exponential_histogram(10) | summary(11) → data_points(1) → start(2), time(3).
        static byte[] Request(ulong start, ulong time) => Message(
            Len(1, Message(
                Len(1, Message(Len(1, Attribute("service.name", "payment")))),
                Len(2, Message(
                    Len(1, Message(Len(1, Text("meter")))),
                    Len(2, Metric("cpu", 5, Message(Fixed(2, start), Fixed(3, time), Fixed(4, 0x3FE0000000000000), Len(7, Attribute("cpu", "0"))))),
                    Len(2, Metric("requests", 7, Message(Fixed(2, start), Fixed(3, time), Fixed(6, 17)))),
                    Len(2, Metric("latency", 9, Message(Fixed(2, start), Fixed(3, time), Fixed(4, 99)))),
                    Len(2, Metric("exp", 10, Message(Len(1, Attribute("k", "v")), Fixed(2, start), Fixed(3, time), Fixed(4, 3)))),
                    Len(2, Metric("summary", 11, Message(Fixed(2, start), Fixed(3, time), Fixed(4, 5)))))))));

        var body = Request(111, 222);
        var points = OtlpMetricTimestamps.Rewrite(body, 1_700_000_000_000_000_000, 1_700_000_060_000_000_000);

        Assert.Equal(5, points);
        Assert.Equal(Request(1_700_000_000_000_000_000, 1_700_000_060_000_000_000), body);
    }

    [Theory]
    [InlineData(new byte[] { 0x0A, 0x05, 0x01 })] // a length past the end
    [InlineData(new byte[] { 0x0B })] // wire type 3 (groups) is not OTLP
    [InlineData(new byte[] { 0x09, 0x01, 0x02 })] // a fixed64 cut short
    [InlineData(new byte[] { 0x08, 0xFF, 0xFF })] // a varint cut short
    public void Rewrite_MalformedBytes_IsAFormatException(byte[] body) =>
        Assert.Throws<FormatException>(() => OtlpMetricTimestamps.Rewrite(body, 1, 2));

    private static byte[] Metric(string name, int dataField, byte[] point) =>
        Message(Len(1, Text(name)), Len(dataField, Message(Len(1, point), Varint(2, 2))));

    private static byte[] Attribute(string key, string value) => Message(Len(1, Text(key)), Len(2, Message(Len(1, Text(value)))));

    private static byte[] Text(string value) => System.Text.Encoding.UTF8.GetBytes(value);

    private static Action<CodedOutputStream> Len(int field, byte[] payload) => o =>
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(payload));
    };

    private static Action<CodedOutputStream> Fixed(int field, ulong value) => o =>
    {
        o.WriteTag(field, WireFormat.WireType.Fixed64);
        o.WriteFixed64(value);
    };

    private static Action<CodedOutputStream> Varint(int field, ulong value) => o =>
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteUInt64(value);
    };

    private static byte[] Message(params Action<CodedOutputStream>[] fields)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var write in fields)
        {
            write(output);
        }

        output.Flush();
        return stream.ToArray();
    }
}
