using Autopilot.Ingest.RemoteWrite;
using Autopilot.Ingest.RemoteWrite.Prompb;
using Autopilot.Ingest.Signals;
using Google.Protobuf;
using IronSnappy;
using static Autopilot.Ingest.Tests.RemoteWrite.RemoteWritePayloads;

namespace Autopilot.Ingest.Tests.RemoteWrite;

public sealed class RemoteWriteDecoderTests
{
    [Fact]
    public void Decode_RoundTrip_OneSignalPerSample()
    {
        var series = Series(("__name__", "http_requests_total"), ("service_name", "checkout"), ("deployment_environment", "prod"), ("code", "500"));
        series.Samples.Add(new Sample { Value = 1.5, Timestamp = 1_700_000_000_123 });
        series.Samples.Add(new Sample { Value = 2.5, Timestamp = 1_700_000_001_123 });
        var other = Series(("__name__", "up"), ("job", "node"), ("instance", "h:9100"));
        other.Samples.Add(new Sample { Value = 1, Timestamp = -5 });

        var signals = new List<Signal>();
        Assert.Equal(3, RemoteWriteDecoder.Decode(Compress(series, other), signals));

        Assert.Equal(3, signals.Count);
        var first = signals[0];
        Assert.Equal((SignalKind.Metric, "urn:autopilot:service:prod:checkout", "http_requests_total", 1.5, 1_700_000_000_123_000_000L),
            (first.Kind, first.Urn, first.Name, first.Value, first.TimeUnixNano));
        Assert.Equal(3, first.Attributes.Count);
        Assert.Null(first.Attributes.Get("__name__"));
        Assert.Equal("500", first.Attributes.Get("code"));
        Assert.Equal("checkout", first.Attributes.Get("service_name"));
        Assert.Equal(2.5, signals[1].Value);
        Assert.Equal(first.Attributes, signals[1].Attributes);
        Assert.Equal(("urn:autopilot:service:default:node", -5_000_000L, "h:9100"), (signals[2].Urn, signals[2].TimeUnixNano, signals[2].Attributes.Get("instance")));
    }

    [Theory]
    [InlineData(null, null, null, null, "urn:autopilot:service:default:unknown")]
    [InlineData(null, "api", null, null, "urn:autopilot:service:default:api")]
    [InlineData("svc", "api", null, null, "urn:autopilot:service:default:svc")]
    [InlineData("svc", null, null, "kube-ns", "urn:autopilot:service:kube-ns:svc")]
    [InlineData("svc", null, "staging", "kube-ns", "urn:autopilot:service:staging:svc")]
    [InlineData("", "api", "", "kube-ns", "urn:autopilot:service:kube-ns:api")]
    public void Decode_UrnRule_ServiceAndNamespaceLabels(string? serviceName, string? job, string? environment, string? ns, string expected)
    {
        var labels = new List<(string, string)> { ("__name__", "m") };
        if (serviceName is not null) labels.Add(("service_name", serviceName));
        if (job is not null) labels.Add(("job", job));
        if (environment is not null) labels.Add(("deployment_environment", environment));
        if (ns is not null) labels.Add(("namespace", ns));
        var series = Series([.. labels]);
        series.Samples.Add(new Sample { Value = 1, Timestamp = 1 });
        var signals = new List<Signal>();
        RemoteWriteDecoder.Decode(Compress(series), signals);
        Assert.Equal(expected, Assert.Single(signals).Urn);
    }

    [Fact]
    public void Decode_NativeHistogram_CountAndSumSignals()
    {
        var series = Series(("__name__", "rpc_duration_seconds"), ("job", "api"));
        series.Histograms.Add(new Histogram { CountInt = 12, Sum = 3.5, Schema = 3, Timestamp = 1000 });
        series.Histograms.Add(new Histogram { CountFloat = 7.5, Sum = 1.25, Timestamp = 2000 });
        var signals = new List<Signal>();
        Assert.Equal(4, RemoteWriteDecoder.Decode(Compress(series), signals));
        Assert.Equal(
            [("rpc_duration_seconds_count", 12d, 1_000_000_000L), ("rpc_duration_seconds_sum", 3.5, 1_000_000_000L), ("rpc_duration_seconds_count", 7.5, 2_000_000_000L), ("rpc_duration_seconds_sum", 1.25, 2_000_000_000L)],
            signals.Select(s => (s.Name, s.Value, s.TimeUnixNano)).ToArray());
    }

    [Fact]
    public void Decode_MetadataOnlyAndEmptyRequests_NoSignals()
    {
        var request = new WriteRequest();
        request.Metadata.Add(new MetricMetadata { Type = MetricMetadata.Types.MetricType.Counter, MetricFamilyName = "x_total", Help = "x" });
        var signals = new List<Signal>();
        Assert.Equal(0, RemoteWriteDecoder.Decode(Compress(request), signals));
        Assert.Equal(0, RemoteWriteDecoder.Decode(Compress(new WriteRequest()), signals));
        Assert.Empty(signals);
    }

    [Fact]
    public void Decode_MissingName_ErrorAndNothingAppended()
    {
        var good = Series(("__name__", "ok"));
        good.Samples.Add(new Sample { Value = 1, Timestamp = 1 });
        var bad = Series(("job", "api"), ("instance", "a:1"));
        bad.Samples.Add(new Sample { Value = 1, Timestamp = 1 });
        var signals = new List<Signal>();
        var ex = Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(Compress(good, bad), signals));
        Assert.Contains("no __name__ label", ex.Message, StringComparison.Ordinal);
        Assert.Contains("api", ex.Message, StringComparison.Ordinal);
        Assert.Empty(signals);
    }

    [Fact]
    public void Decode_NotSnappy_BadSnappy()
    {
        // Declares 16 bytes, then a copy tag pointing before the start of the output.
        var ex = Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(new byte[] { 0x10, 0xFF, 0xFF, 0xFF, 0xFF }, []));
        Assert.Contains("bad snappy", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    public void Decode_EmptyOrTruncatedHeader_Refused(byte[] body)
    {
        var ex = Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(body, []));
        Assert.Matches("empty body|length header", ex.Message);
    }

    [Fact]
    public void Decode_SnappyOfGarbage_BadProtobuf()
    {
        var ex = Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(Snappy.Encode(new byte[] { 0x0A, 0xFF, 0x01, 0x02 }), []));
        Assert.Contains("bad protobuf", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_DeclaredSizeOverCap_RefusedBeforeDecompressing()
    {
        // A 5-byte body that claims 1 GiB: the header alone decides, nothing is allocated or decoded.
        byte[] lying = [0x80, 0x80, 0x80, 0x80, 0x04];
        var ex = Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(lying, [], maxDecompressedBytes: 1024));
        Assert.Contains("decompressed size 1073741824 bytes exceeds the limit of 1024 bytes", ex.Message, StringComparison.Ordinal);

        var series = Series(("__name__", "m"), ("pad", new string('x', 2000)));
        series.Samples.Add(new Sample { Value = 1, Timestamp = 1 });
        var real = Compress(series);
        Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(real, [], maxDecompressedBytes: 1024));
        Assert.Equal(1, RemoteWriteDecoder.Decode(real, [], maxDecompressedBytes: 4096));
    }

    [Fact]
    public void Decode_HeaderDisagreesWithContent_BadSnappy()
    {
        var body = Compress(Series(("__name__", "m")));
        body[0]++;
        Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(body, []));
    }

    [Fact]
    public void Decode_TimestampBeyondNanosecondRange_Refused()
    {
        var series = Series(("__name__", "m"));
        series.Samples.Add(new Sample { Value = 1, Timestamp = long.MaxValue });
        var ex = Assert.Throws<RemoteWriteFormatException>(() => RemoteWriteDecoder.Decode(Compress(series), []));
        Assert.Contains("outside the range", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Decode_FuzzedBodies_OnlyRemoteWriteFormatException(int seed)
    {
        var random = new Random(seed);
        var seeds = new List<byte[]>();
        for (var s = 0; s < 8; s++)
        {
            var series = Series(("__name__", "metric_" + s), ("job", "j" + s), ("le", "0.5"));
            for (var i = 0; i < 1 + s; i++)
            {
                series.Samples.Add(new Sample { Value = random.NextDouble(), Timestamp = 1_700_000_000_000 + i });
            }

            if (s % 3 == 0)
            {
                series.Histograms.Add(new Histogram { CountInt = 3, Sum = 1, Timestamp = 5, PositiveSpans = { new BucketSpan { Offset = 0, Length = 2 } }, PositiveDeltas = { 1, 1 } });
            }

            seeds.Add(Compress(series));
            seeds.Add(series.ToByteArray());
        }

        var accepted = 0;
        for (var i = 0; i < 4000; i++)
        {
            var body = (byte[])seeds[random.Next(seeds.Count)].Clone();
            var edits = 1 + random.Next(3);
            for (var e = 0; e < edits; e++)
            {
                switch (random.Next(3))
                {
                    case 0: body[random.Next(body.Length)] = (byte)random.Next(256); break;
                    case 1: body = body[..random.Next(body.Length)]; break;
                    default: body[random.Next(body.Length)] ^= (byte)(1 << random.Next(8)); break;
                }

                if (body.Length == 0)
                {
                    break;
                }
            }

            try
            {
                RemoteWriteDecoder.Decode(body, [], maxDecompressedBytes: 1 << 20);
                accepted++;
            }
            catch (RemoteWriteFormatException)
            {
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed} iteration {i}: {ex.GetType().Name} escaped: {ex}\nbody: {Convert.ToHexString(body)}");
            }
        }

        Assert.InRange(accepted, 1, 3999);
    }
}
