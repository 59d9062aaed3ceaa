namespace Autopilot.Ingest.Otlp;

/// <summary>How an OTLP payload is encoded.</summary>
public enum OtlpEncoding : byte
{
    /// <summary><c>application/x-protobuf</c> and the gRPC message body.</summary>
    Protobuf = 1,

    /// <summary><c>application/json</c>: one request (OTLP/JSON or plain proto3 JSON).</summary>
    Json = 2,

    /// <summary>One JSON request per line (file exporter output, replay files).</summary>
    JsonLines = 3,
}
