using System.Buffers.Binary;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Google.Protobuf;

namespace Autopilot.LoadGen;

/// <summary>
/// What the trace and metric payload builders (TracePayloads, MetricPayloads) share: the shop's services and their resources, the
/// gRPC frame around an encoded message, and attribute constructors.
/// </summary>
internal static class PayloadParts
{
    public static readonly string[] Services = ["checkout", "cart", "payments", "inventory", "shipping"];
    public static readonly string[] Routes = ["/api/orders/{id}", "/api/cart/{id}/items", "/api/payments", "/api/inventory/{sku}", "/api/shipments/{id}/labels"];
    public static readonly string[] Tables = ["orders", "order_items", "customers", "stock_levels"];

    public const string SchemaUrl = "https://opentelemetry.io/schemas/1.26.0";

    /// <summary>The resource of service <paramref name="s"/> (an index into <see cref="Services"/>), as a .NET SDK on Kubernetes reports it.</summary>
    public static Resource Resource(int s) => new()
    {
        Attributes =
        {
            Str("service.name", Services[s]),
            Str("service.namespace", "shop"),
            Str("service.version", "2.14." + s),
            Str("deployment.environment.name", "production"),
            Str("host.name", $"ip-10-0-{s}-{17 + s}.eu-west-1.compute.internal"),
            Str("k8s.pod.name", $"{Services[s]}-7d9f8c6b5-x{s}q{s}z"),
            Str("telemetry.sdk.language", "dotnet"),
            Str("telemetry.sdk.name", "opentelemetry"),
            Str("telemetry.sdk.version", "1.9.0"),
        },
    };

    /// <summary>
    /// <paramref name="count"/> requests from <paramref name="build"/> (given one seeded random for all, the request's index
    /// and the current time in Unix nanoseconds), each encoded in its gRPC frame.
    /// </summary>
    public static (byte[] Frame, int MessageBytes)[] FrameEach(int count, int seed, Func<Random, int, ulong, IMessage> build)
    {
        var random = new Random(seed);
        var now = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000UL;
        var frames = new (byte[] Frame, int MessageBytes)[count];
        for (var p = 0; p < count; p++)
        {
            frames[p] = Frame(build(random, p, now));
        }

        return frames;
    }

    /// <summary><paramref name="message"/> encoded, behind gRPC's 5-byte frame header (not compressed, big-endian length).</summary>
    public static (byte[] Frame, int MessageBytes) Frame(IMessage message)
    {
        var bytes = message.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame.AsSpan(5));
        return (frame, bytes.Length);
    }

    public static KeyValue Str(string key, string value) => new() { Key = key, Value = new AnyValue { StringValue = value } };

    public static KeyValue Int(string key, long value) => new() { Key = key, Value = new AnyValue { IntValue = value } };

    public static KeyValue Bool(string key, bool value) => new() { Key = key, Value = new AnyValue { BoolValue = value } };

    public static KeyValue Dbl(string key, double value) => new() { Key = key, Value = new AnyValue { DoubleValue = value } };
}
