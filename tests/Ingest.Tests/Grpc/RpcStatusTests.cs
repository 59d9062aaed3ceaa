using Autopilot.Ingest.Grpc;

namespace Autopilot.Ingest.Tests.Grpc;

public sealed class RpcStatusTests
{
    [Fact]
    public void Protobuf_RoundTripsCodeMessageAndRetryDelay()
    {
        var status = new RpcStatus(GrpcStatusCode.ResourceExhausted, "queue full", TimeSpan.FromMilliseconds(1500));
        var parsed = RpcStatus.FromProtobuf(status.ToProtobuf());
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void Protobuf_WithoutRetry_HasNoDetails()
    {
        var bytes = new RpcStatus(GrpcStatusCode.InvalidArgument, "bad").ToProtobuf();
        // field 1 varint 3, field 2 "bad": 08 03 12 03 62 61 64
        Assert.Equal([0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64], bytes);
    }

    [Fact]
    public void Json_HasCodeMessageAndRetryInfo()
    {
        var json = new RpcStatus(GrpcStatusCode.Unavailable, "log full", TimeSpan.FromSeconds(2)).ToJson();
        Assert.Equal("""{"code":14,"message":"log full","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"2s"}]}""", json);
    }

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("naïve", "na%C3%AFve")]
    public void GrpcMessage_PercentEncodesOnlyWhatTheSpecAsks(string message, string expected)
    {
        Assert.Equal(expected, GrpcWire.EncodeMessage(message));
    }
}
