using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Google.Protobuf;

namespace Autopilot.Ingest.Otlp;

/// <summary>
/// Binary OTLP (the gRPC message and <c>application/x-protobuf</c> body) to request messages.
/// Google.Protobuf bounds nesting (recursion limit 100) and checks every length prefix against the
/// bytes actually present before allocating, so hostile input cannot make it pre-size anything.
/// </summary>
internal static class OtlpProtobufDecoder
{
    public static ExportTraceServiceRequest DecodeTraces(ReadOnlySpan<byte> payload) =>
        Parse(ExportTraceServiceRequest.Parser, payload, "traces");

    public static ExportMetricsServiceRequest DecodeMetrics(ReadOnlySpan<byte> payload) =>
        Parse(ExportMetricsServiceRequest.Parser, payload, "metrics");

    public static ExportLogsServiceRequest DecodeLogs(ReadOnlySpan<byte> payload) =>
        Parse(ExportLogsServiceRequest.Parser, payload, "logs");

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload, string what)
        where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OtlpFormatException($"{what} request is not valid protobuf: {e.Message}", e);
        }
    }
}
