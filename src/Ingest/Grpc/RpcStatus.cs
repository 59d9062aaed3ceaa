using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Autopilot.Ingest.Grpc;

/// <summary>
/// A <c>google.rpc.Status</c> with an optional <c>google.rpc.RetryInfo</c> detail: the body of an OTLP/HTTP
/// error response and the <c>grpc-status-details-bin</c> trailer. Encoded by hand (four small messages)
/// rather than compiled from the googleapis protos.
/// </summary>
public sealed record RpcStatus(GrpcStatusCode Code, string Message, TimeSpan? RetryDelay = null)
{
    private const string RetryInfoType = "type.googleapis.com/google.rpc.RetryInfo";

    /// <summary>The protobuf encoding of google.rpc.Status.</summary>
    public byte[] ToProtobuf()
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        if (Code != GrpcStatusCode.Ok)
        {
            output.WriteTag(1, WireFormat.WireType.Varint);
            output.WriteInt32((int)Code);
        }

        if (Message.Length > 0)
        {
            output.WriteTag(2, WireFormat.WireType.LengthDelimited);
            output.WriteString(Message);
        }

        if (RetryDelay is { } delay)
        {
            var any = EncodeAny(EncodeRetryInfo(delay));
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(any));
        }

        output.Flush();
        return buffer.ToArray();
    }

    /// <summary>The proto3 JSON encoding of google.rpc.Status (for OTLP/HTTP JSON requests).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("code", (int)Code);
            json.WriteString("message", Message);
            if (RetryDelay is { } delay)
            {
                json.WriteStartArray("details");
                json.WriteStartObject();
                json.WriteString("@type", RetryInfoType);
                json.WriteString("retryDelay", FormattableString.Invariant($"{delay.TotalSeconds:0.###}s"));
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static byte[] EncodeRetryInfo(TimeSpan delay)
    {
        using var duration = new MemoryStream();
        var d = new CodedOutputStream(duration);
        var seconds = (long)delay.TotalSeconds;
        var nanos = (int)((delay.Ticks % TimeSpan.TicksPerSecond) * 100);
        if (seconds != 0)
        {
            d.WriteTag(1, WireFormat.WireType.Varint);
            d.WriteInt64(seconds);
        }

        if (nanos != 0)
        {
            d.WriteTag(2, WireFormat.WireType.Varint);
            d.WriteInt32(nanos);
        }

        d.Flush();
        using var retryInfo = new MemoryStream();
        var r = new CodedOutputStream(retryInfo);
        r.WriteTag(1, WireFormat.WireType.LengthDelimited);
        r.WriteBytes(ByteString.CopyFrom(duration.ToArray()));
        r.Flush();
        return retryInfo.ToArray();
    }

    private static byte[] EncodeAny(byte[] value)
    {
        using var any = new MemoryStream();
        var a = new CodedOutputStream(any);
        a.WriteTag(1, WireFormat.WireType.LengthDelimited);
        a.WriteString(RetryInfoType);
        a.WriteTag(2, WireFormat.WireType.LengthDelimited);
        a.WriteBytes(ByteString.CopyFrom(value));
        a.Flush();
        return any.ToArray();
    }

    /// <summary>
    /// Reads a google.rpc.Status (for tests and clients): code, message and the retry delay if a
    /// RetryInfo detail is present.
    /// </summary>
    public static RpcStatus FromProtobuf(ReadOnlySpan<byte> bytes)
    {
        var input = new CodedInputStream(bytes.ToArray());
        var code = GrpcStatusCode.Ok;
        var message = string.Empty;
        TimeSpan? delay = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    code = (GrpcStatusCode)input.ReadInt32();
                    break;
                case 2:
                    message = input.ReadString();
                    break;
                case 3:
                    delay = ReadRetryDelay(input.ReadBytes()) ?? delay;
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new RpcStatus(code, message, delay);
    }

    private static TimeSpan? ReadRetryDelay(ByteString anyBytes)
    {
        var any = anyBytes.CreateCodedInput();
        string? type = null;
        ByteString? value = null;
        uint tag;
        while ((tag = any.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1:
                    type = any.ReadString();
                    break;
                case 2:
                    value = any.ReadBytes();
                    break;
                default:
                    any.SkipLastField();
                    break;
            }
        }

        if (type != RetryInfoType || value is null)
        {
            return null;
        }

        var retry = value.CreateCodedInput();
        long seconds = 0;
        int nanos = 0;
        while ((tag = retry.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) != 1)
            {
                retry.SkipLastField();
                continue;
            }

            var duration = retry.ReadBytes().CreateCodedInput();
            uint dtag;
            while ((dtag = duration.ReadTag()) != 0)
            {
                switch (WireFormat.GetTagFieldNumber(dtag))
                {
                    case 1:
                        seconds = duration.ReadInt64();
                        break;
                    case 2:
                        nanos = duration.ReadInt32();
                        break;
                    default:
                        duration.SkipLastField();
                        break;
                }
            }
        }

        return TimeSpan.FromSeconds(seconds) + TimeSpan.FromTicks(nanos / 100);
    }
}
