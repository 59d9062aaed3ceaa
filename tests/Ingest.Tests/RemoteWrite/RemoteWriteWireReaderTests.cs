using Autopilot.Ingest.RemoteWrite;
using Autopilot.Ingest.RemoteWrite.Prompb;
using Autopilot.Ingest.Signals;
using Autopilot.Ingest.Tests.Otlp.Wire;
using Google.Protobuf;
using IronSnappy;
using static Autopilot.Ingest.Tests.RemoteWrite.RemoteWritePayloads;

namespace Autopilot.Ingest.Tests.RemoteWrite;

/// <summary>
/// The span-based remote write reader (with its cache of series) against the Google.Protobuf path it stands in for:
/// the same signals, or the same error message, for generated requests, their mutations and hand-made shapes.
/// </summary>
public sealed class RemoteWriteWireReaderTests
{
    private static readonly string[] s_names = ["__name__", "job", "service_name", "namespace", "deployment_environment", "instance", "code", "le", "pod"];
    private static readonly string[] s_values = ["", "api", "checkout", "prod", "10.0.0.1:9100", "200", "héllo wörld", "名前", "http_requests_total", "up"];

    [Fact]
    public void GeneratedRequests_SameSignalsAsTheObjectGraphPath_FirstTimeAndFromTheCache()
    {
        var random = new Random(20261207);
        var read = 0;
        var fast = 0;
        for (var i = 0; i < 400; i++)
        {
            var protobuf = Request(random).ToByteArray();
            fast += RemoteWriteWireReader.TryRead(protobuf, []) ? 1 : 0;
            for (var pass = 0; pass < 2; pass++)
            {
                // The second pass meets the same series again: they come from the cache.
                read += AssertSameOutcome(protobuf, $"request {i}, pass {pass}");
            }
        }

        Assert.True(read > 10_000, $"only {read} signals were compared");
        Assert.True(fast > 200, $"the wire reader took only {fast} of 400 requests itself; the rest were not testing it");
    }

    [Fact]
    public void MutatedRequests_SameSignalsOrSameError()
    {
        var random = new Random(7);
        var errors = 0;
        for (var i = 0; i < 3_000; i++)
        {
            var protobuf = Request(random, maxSeries: 4).ToByteArray();
            var mutated = Otlp.FuzzTests.Mutate(protobuf, random, text: false);
            if (Outcome(mutated, useWireReader: false).Error is not null)
            {
                errors++;
            }

            AssertSameOutcome(mutated, $"mutation {i}");
        }

        Assert.True(errors > 300, $"only {errors} of the mutated requests were refused: the mutations are too gentle to test refusals");
    }

    [Fact]
    public void ShapesLeftToTheOtherPath_SameOutcome()
    {
        var named = Series(("__name__", "m"), ("job", "api"));
        named.Samples.Add(new Sample { Value = 1, Timestamp = 5 });
        var labelBytes = Series(("instance", "h:1")).ToByteArray();
        var sampleBytes = new TimeSeries { Samples = { new Sample { Value = 2, Timestamp = 6 } } }.ToByteArray();

        byte[][] requests =
        [
            // A label after a sample (the fields of two TimeSeries encodings concatenated merge into one series).
            Request(named.ToByteArray(), labelBytes),
            // An unknown field (number 9, varint) between the labels and the samples.
            Request(Series(("__name__", "m")).ToByteArray(), [9 << 3, 1], sampleBytes),
            // An unknown field before the labels is skipped without leaving this reader.
            Request([9 << 3, 1], named.ToByteArray()),
            // No __name__, an empty __name__, two of them.
            Request(Series(("job", "api"), ("instance", "h:1")).ToByteArray(), sampleBytes),
            Request(Series(("__name__", ""), ("job", "api")).ToByteArray(), sampleBytes),
            Request(Series(("__name__", "a"), ("__name__", "b"), ("job", "api")).ToByteArray(), sampleBytes),
            // A timestamp that nanoseconds cannot hold.
            Request(Series(("__name__", "m")).ToByteArray(), new TimeSeries { Samples = { new Sample { Value = 1, Timestamp = long.MaxValue / 1000 } } }.ToByteArray()),
            // Invalid UTF-8 in a label value (decoded as U+FFFD by both).
            Request(LabelField([0x0a, 1, (byte)'k', 0x12, 2, 0xff, 0xfe]), Series(("__name__", "m")).ToByteArray(), sampleBytes),
            // Metadata, an exemplar, a native histogram.
            new WriteRequest { Metadata = { new MetricMetadata { MetricFamilyName = "m", Help = "h" } } }.ToByteArray(),
            Request(named.ToByteArray(), new TimeSeries { Exemplars = { new Exemplar { Value = 1, Timestamp = 2 } } }.ToByteArray()),
            Request(named.ToByteArray(), new TimeSeries { Histograms = { new Histogram { CountInt = 3, Sum = 1.5, Timestamp = 7 } } }.ToByteArray()),
            // A series without samples.
            Request(Series(("__name__", "m")).ToByteArray()),
        ];

        for (var i = 0; i < requests.Length; i++)
        {
            AssertSameOutcome(requests[i], $"shape {i}");
        }
    }

    [Fact]
    public void KnownSeries_ShareTheirAttributeList_AcrossRequests()
    {
        var series = Series(("__name__", "shared_series_total"), ("job", "wire-reader-test"), ("instance", "h:9100"));
        series.Samples.Add(new Sample { Value = 1, Timestamp = 1_000 });
        var first = new List<Signal>();
        var second = new List<Signal>();
        RemoteWriteDecoder.Decode(Compress(series), first);
        RemoteWriteDecoder.Decode(Compress(series), second);

        // The second request's series came from the cache: the same (immutable) attributes, URN and name objects.
        Assert.Equal(first[0].Attributes, second[0].Attributes);
        Assert.Same(first[0].Urn, second[0].Urn);
        Assert.Equal("urn:autopilot:service:default:wire-reader-test", second[0].Urn);
    }

    [Fact]
    public void TwoSeriesWithTheSameHash_AreNotMistakenForEachOther()
    {
        // A birthday search for two label sets whose bytes hash alike (a 32-bit hash: a few hundred thousand tries).
        var seen = new Dictionary<uint, int>();
        (int A, int B)? collision = null;
        for (var i = 0; i < 2_000_000 && collision is null; i++)
        {
            var hash = Autopilot.Ingest.Otlp.Wire.Utf8Hash.Compute(Labels(i).ToByteArray());
            if (!seen.TryAdd(hash, i))
            {
                collision = (seen[hash], i);
            }
        }

        Assert.NotNull(collision);
        var (a, b) = collision.Value;
        var first = new List<Signal>();
        var second = new List<Signal>();
        RemoteWriteDecoder.Decode(Compress(WithSample(Labels(a))), first);
        RemoteWriteDecoder.Decode(Compress(WithSample(Labels(b))), second);
        Assert.Equal(a.ToString(System.Globalization.CultureInfo.InvariantCulture), first[0].Attributes.Get("instance"));
        Assert.Equal(b.ToString(System.Globalization.CultureInfo.InvariantCulture), second[0].Attributes.Get("instance"));

        static TimeSeries Labels(int i) => Series(("__name__", "collide"), ("instance", i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        static TimeSeries WithSample(TimeSeries series)
        {
            series.Samples.Add(new Sample { Value = 1, Timestamp = 1 });
            return series;
        }
    }

    private static int AssertSameOutcome(byte[] protobuf, string what)
    {
        var expected = Outcome(protobuf, useWireReader: false);
        var actual = Outcome(protobuf, useWireReader: true);
        Assert.True(expected.Error == actual.Error, $"{what}: expected error '{expected.Error}', got '{actual.Error}'");
        Assert.True(expected.Signals.Count == actual.Signals.Count, $"{what}: expected {expected.Signals.Count} signals, got {actual.Signals.Count}");
        for (var i = 0; i < expected.Signals.Count; i++)
        {
            Assert.True(TraceDecoders.SignalDifference(expected.Signals[i], actual.Signals[i]) is not { } difference, $"{what}, signal {i}: {TraceDecoders.SignalDifference(expected.Signals[i], actual.Signals[i])}");
        }

        return actual.Signals.Count;
    }

    private static (List<Signal> Signals, string? Error) Outcome(byte[] protobuf, bool useWireReader)
    {
        var signals = new List<Signal>();
        try
        {
            RemoteWriteDecoder.Decode(Snappy.Encode(protobuf), signals, RemoteWriteDecoder.DefaultMaxDecompressedBytes, useWireReader);
            return (signals, null);
        }
        catch (RemoteWriteFormatException e)
        {
            return (signals, e.Message);
        }
    }

    private static WriteRequest Request(Random random, int maxSeries = 40)
    {
        var request = new WriteRequest();
        var count = random.Next(0, maxSeries + 1);
        for (var s = 0; s < count; s++)
        {
            var series = new TimeSeries();
            // Nearly every series has a name somewhere among its labels (one without refuses the whole request).
            var labels = random.Next(0, 8);
            var nameAt = random.Next(200) == 0 ? -1 : random.Next(labels + 1);
            for (var l = 0; l <= labels; l++)
            {
                var name = l == nameAt || random.Next(12) == 0 ? "__name__" : s_names[1 + random.Next(s_names.Length - 1)];
                var value = name == "__name__" ? s_values[1 + random.Next(s_values.Length - 1)]
                    : random.Next(60) == 0 ? new string('x', random.Next(100, 5_000)) : s_values[random.Next(s_values.Length)];
                series.Labels.Add(new Label { Name = name, Value = value });
            }

            for (var n = random.Next(0, 6); n > 0; n--)
            {
                var timestamp = random.Next(2_000) == 0 ? long.MaxValue / random.Next(900_000, 1_100_000) : random.NextInt64(-1_000_000, 2_000_000_000_000);
                series.Samples.Add(new Sample { Value = random.Next(20) == 0 ? double.NaN : random.NextDouble() * 1e6, Timestamp = timestamp });
            }

            if (random.Next(400) == 0)
            {
                series.Histograms.Add(new Histogram { CountFloat = 2.5, Sum = 1, Timestamp = 3 });
            }

            if (random.Next(400) == 0)
            {
                series.Exemplars.Add(new Exemplar { Value = 1, Timestamp = 2, Labels = { new Label { Name = "trace_id", Value = "abc" } } });
            }

            request.Timeseries.Add(series);
        }

        if (random.Next(30) == 0)
        {
            request.Metadata.Add(new MetricMetadata { MetricFamilyName = "m", Help = "help" });
        }

        return request;
    }

    /// <summary>A WriteRequest whose timeseries field (1) appears once with these TimeSeries encodings concatenated.</summary>
    private static byte[] Request(params byte[][] seriesParts)
    {
        var body = seriesParts.SelectMany(p => p).ToArray();
        var output = new MemoryStream();
        var coded = new CodedOutputStream(output);
        coded.WriteTag(1, WireFormat.WireType.LengthDelimited);
        coded.WriteBytes(ByteString.CopyFrom(body));
        coded.Flush();
        return output.ToArray();
    }

    /// <summary>A TimeSeries labels field (1) around the given Label bytes.</summary>
    private static byte[] LabelField(byte[] label) => [0x0a, (byte)label.Length, .. label];
}
