using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Signals;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// The span-based reader (<see cref="Ingest.Otlp.Wire.OtlpWireNormalizer"/>) against the previous implementation
/// (Google.Protobuf + <see cref="OtlpNormalizer"/>), signal by signal: every trace sample of ../shared/data/otlp,
/// seeded random requests, the same requests re-encoded as other producers encode them, and mutated bytes. Both must
/// accept and refuse the same inputs and produce equal results and signals.
/// </summary>
public sealed class WireTraceEquivalenceTests
{
    public static TheoryData<string> TraceFiles() =>
        new(OtlpTestData.Index.Where(e => e.IsOtlp && !e.IsInvalidCase && e.Signal == "traces").Select(e => e.File));

    [Theory]
    [MemberData(nameof(TraceFiles))]
    public void NormalizeTraces_GoldenFile_EqualsObjectGraphPath(string file)
    {
        // Protobuf files as they are; JSON files through the JSON reader and Google.Protobuf's encoder.
        var payload = file.EndsWith(".pb", StringComparison.Ordinal)
            ? OtlpTestData.Read(file)
            : DecodedFile.Load(file, "traces").Traces.ToByteArray();
        var decoders = new TraceDecoders();

        var reference = decoders.Reference(payload);
        var wire = decoders.Wire(payload);

        Assert.Null(reference.Error);
        Assert.Null(TraceDecoders.Difference(reference, wire));
        Assert.Equal(GoldenFileTests.ExpectedByFile[file].Items, wire.Result.Accepted + wire.Result.Rejected);
    }

    [Fact]
    public void NormalizeTraces_LoadGeneratorPayload_EqualsObjectGraphPath()
    {
        var decoders = new TraceDecoders();
        foreach (var payload in LoadGeneratorPayloads.Messages(2))
        {
            var reference = decoders.Reference(payload);

            Assert.Null(TraceDecoders.Difference(reference, decoders.Wire(payload)));
            Assert.Equal(1000, reference.Result.Accepted);
            Assert.Contains(reference.Signals, s => s.Kind == SignalKind.Record);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void NormalizeTraces_RandomRequests_EqualObjectGraphPath(int seed)
    {
        var random = new Random(seed);
        var decoders = new TraceDecoders();
        var spans = 0;
        var rejected = 0;
        var records = 0;
        for (var i = 0; i < 300; i++)
        {
            var payload = TraceRequestGenerator.Build(random).ToByteArray();
            var reference = decoders.Reference(payload);
            var wire = decoders.Wire(payload);

            Assert.True(TraceDecoders.Difference(reference, wire) is null, $"seed {seed} request {i}: {TraceDecoders.Difference(reference, wire)}");
            spans += reference.Result.Accepted;
            rejected += reference.Result.Rejected;
            records += reference.Signals.Count(s => s.Kind == SignalKind.Record);
        }

        // The generator must reach every path, or equality proves little.
        Assert.True(spans > 500, $"{spans} spans accepted");
        Assert.True(rejected > 50, $"{rejected} spans rejected");
        Assert.True(records > 20, $"{records} record signals");
    }

    [Theory]
    [InlineData(11, 0.3)]
    [InlineData(12, 0.6)]
    [InlineData(13, 1.0)]
    public void NormalizeTraces_ReencodedRequests_EqualObjectGraphPath(int seed, double intensity)
    {
        var random = new Random(seed);
        var decoders = new TraceDecoders();
        var accepted = 0;
        for (var i = 0; i < 300; i++)
        {
            var payload = WireShuffler.Shuffle(TraceRequestGenerator.Build(random).ToByteArray(), random, intensity);

            var difference = decoders.Compare(payload);

            Assert.True(difference is null, $"seed {seed} request {i}: {difference}\n{Convert.ToHexString(payload)}");
            accepted += decoders.Reference(payload).Error is null ? 1 : 0;
        }

        Assert.True(accepted > 100, $"only {accepted} re-encoded requests were valid");
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void NormalizeTraces_MutatedBytes_SameAcceptanceAndSignals(int seed)
    {
        var random = new Random(seed);
        var decoders = new TraceDecoders();
        var outcomes = new int[2];
        var sources = new List<byte[]> { OtlpTestData.Read("otlp2parquet_testdata/trace.pb"), OtlpTestData.Read("otlp2parquet_testdata/traces.pb") };
        for (var i = 0; i < 20; i++)
        {
            sources.Add(WireShuffler.Shuffle(TraceRequestGenerator.Build(random).ToByteArray(), random, 0.5));
        }

        for (var i = 0; i < 2000; i++)
        {
            var payload = Mutate(sources[random.Next(sources.Count)], random);

            var reference = decoders.Reference(payload);
            var wire = decoders.Wire(payload);

            Assert.True(TraceDecoders.Difference(reference, wire) is null, $"seed {seed} iteration {i}: {TraceDecoders.Difference(reference, wire)}\n{Convert.ToHexString(payload)}");
            outcomes[reference.Error is null ? 0 : 1]++;
        }

        Assert.True(outcomes[0] > 100, $"only {outcomes[0]} mutations decoded");
        Assert.True(outcomes[1] > 100, $"only {outcomes[1]} mutations were refused");
    }

    [Fact]
    public void NormalizeTraces_PartialSuccess_SameCountsAndFirstError()
    {
        var random = new Random(5);
        var decoders = new TraceDecoders();
        var partial = 0;
        for (var i = 0; i < 400; i++)
        {
            var payload = TraceRequestGenerator.Build(random).ToByteArray();
            var reference = decoders.Reference(payload);
            var wire = decoders.Wire(payload);
            if (reference.Result.Rejected == 0)
            {
                continue;
            }

            partial++;
            Assert.Equal(reference.Result.Rejected, wire.Result.Rejected);
            Assert.Equal(reference.Result.FirstError, wire.Result.FirstError);
        }

        Assert.True(partial > 20, $"{partial} requests with rejected spans");
    }

    [Fact]
    public void NormalizeTraces_WithAliases_SameUrns()
    {
        var aliases = new UrnAliases(new Dictionary<string, string>
        {
            ["urn:autopilot:service:production:checkout"] = "urn:autopilot:service:prod:checkout",
            ["urn:autopilot:dataset:postgresql/shop:orders"] = "urn:autopilot:dataset:pg:public.orders",
        });
        var decoders = new TraceDecoders(new OtlpNormalizerOptions { Aliases = aliases });

        var payload = LoadGeneratorPayloads.Messages(1)[0];
        var reference = decoders.Reference(payload);
        var wire = decoders.Wire(payload);

        Assert.Null(TraceDecoders.Difference(reference, wire));
        Assert.Contains(wire.Signals, s => s.Urn == "urn:autopilot:service:prod:checkout");
        Assert.Contains(wire.Signals, s => s.Urn == "urn:autopilot:dataset:pg:public.orders");
    }

    [Fact]
    public void NormalizeTraces_TinyInternTables_StillEqual()
    {
        // Two slots and 4-byte strings: nearly every lookup evicts, so equality cannot come from the cache.
        var decoders = new TraceDecoders(new OtlpNormalizerOptions { InternerCapacity = 2, MaxInternedLength = 4 });
        var random = new Random(8);
        for (var i = 0; i < 100; i++)
        {
            var payload = TraceRequestGenerator.Build(random).ToByteArray();
            Assert.Null(decoders.Compare(payload));
        }
    }

    [Fact]
    public void Decode_TracesProtobuf_UsesTheWireReader()
    {
        // OtlpDecoder, what every receiver calls, must take the span-based path; its errors name where they are.
        var payload = LoadGeneratorPayloads.Messages(1)[0][..5000];

        var e = Assert.Throws<OtlpFormatException>(() => new OtlpDecoder().Decode(OtlpSignalType.Traces, OtlpEncoding.Protobuf, payload, []));

        Assert.StartsWith("traces request is not valid protobuf: resourceSpans[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at byte ", e.Message, StringComparison.Ordinal);
    }

    internal static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
                case 3:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 4:
                    // Tag-like bytes: end-group, start-group, invalid wire types, field 0.
                    bytes.Insert(at, (byte)new[] { 0x04, 0x0B, 0x0C, 0x0E, 0x0F, 0x00, 0x13, 0x14, 0x07, 0x80 }[random.Next(10)]);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }
        }

        return [.. bytes];
    }
}
