namespace Autopilot.Ingest.Receivers;

/// <summary>How a request body is encoded (after transport compression is removed).</summary>
public enum PayloadFormat : byte
{
    Protobuf = 1,
    Json = 2,

    /// <summary>Snappy block-compressed protobuf, as Prometheus remote write sends it.</summary>
    SnappyProtobuf = 3,
}
