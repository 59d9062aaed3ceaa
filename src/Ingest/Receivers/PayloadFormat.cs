namespace Autopilot.Ingest.Receivers;

/// <summary>How a request body is encoded (after transport compression is removed).</summary>
public enum PayloadFormat : byte
{
    Protobuf = 1,
    Json = 2,

    /// <summary>Snappy block-compressed protobuf, as Prometheus remote write sends it.</summary>
    SnappyProtobuf = 3,

    /// <summary>
    /// Canonical signals after redaction (<see cref="SignalRecordCodec"/>). Never sent by clients: the
    /// write-ahead log stores it instead of the raw body when redaction changed a request.
    /// </summary>
    Signals = 4,
}
