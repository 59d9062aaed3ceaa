using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Signals;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// The span-based reader's logs path against Google.Protobuf + the object-graph normalizer, signal by signal: every log
/// sample of ../shared/data/otlp, seeded random requests, re-encoded requests and mutated bytes.
/// </summary>
public sealed class WireLogEquivalenceTests
{
    public static TheoryData<string> LogFiles() =>
        new(OtlpTestData.Index.Where(e => e.IsOtlp && !e.IsInvalidCase && e.Signal == "logs").Select(e => e.File));

    [Theory]
    [MemberData(nameof(LogFiles))]
    public void NormalizeLogs_GoldenFile_EqualsObjectGraphPath(string file)
    {
        var payload = file.EndsWith(".pb", StringComparison.Ordinal)
            ? OtlpTestData.Read(file)
            : DecodedFile.Load(file, "logs").Logs.ToByteArray();
        var decoders = new TraceDecoders(logs: true);

        var reference = decoders.Reference(payload);
        var wire = decoders.Wire(payload);

        Assert.Null(reference.Error);
        Assert.Null(TraceDecoders.Difference(reference, wire));
        Assert.Equal(GoldenFileTests.ExpectedByFile[file].Items, wire.Result.Accepted + wire.Result.Rejected);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void NormalizeLogs_RandomRequests_EqualObjectGraphPath(int seed)
    {
        var random = new Random(seed);
        var decoders = new TraceDecoders(logs: true);
        var (accepted, rejected, errors, structured) = (0, 0, 0, 0);
        for (var i = 0; i < 300; i++)
        {
            var payload = LogRequestGenerator.Build(random).ToByteArray();
            var reference = decoders.Reference(payload);
            var wire = decoders.Wire(payload);

            Assert.True(TraceDecoders.Difference(reference, wire) is null, $"seed {seed} request {i}: {TraceDecoders.Difference(reference, wire)}");
            accepted += reference.Result.Accepted;
            rejected += reference.Result.Rejected;
            errors += reference.Signals.Count(s => s.Status == SignalStatus.Error);
            structured += reference.Signals.Count(s => s.Name.StartsWith('{'));
        }

        Assert.True(accepted > 300 && rejected > 30 && errors > 30 && structured > 20, $"{accepted} accepted, {rejected} rejected, {errors} errors, {structured} structured bodies");
    }

    [Theory]
    [InlineData(41, 0.5)]
    [InlineData(42, 1.0)]
    public void NormalizeLogs_ReencodedRequests_EqualObjectGraphPath(int seed, double intensity)
    {
        var random = new Random(seed);
        var decoders = new TraceDecoders(logs: true);
        var accepted = 0;
        for (var i = 0; i < 300; i++)
        {
            var payload = WireShuffler.Shuffle(LogRequestGenerator.Build(random).ToByteArray(), random, intensity, logs: true);

            var difference = decoders.Compare(payload);

            Assert.True(difference is null, $"seed {seed} request {i}: {difference}\n{Convert.ToHexString(payload)}");
            accepted += decoders.Reference(payload).Error is null ? 1 : 0;
        }

        Assert.True(accepted > 100, $"only {accepted} re-encoded requests were valid");
    }

    [Fact]
    public void NormalizeLogs_MutatedBytes_SameAcceptanceAndSignals()
    {
        var random = new Random(51);
        var decoders = new TraceDecoders(logs: true);
        var outcomes = new int[2];
        var sources = new List<byte[]> { OtlpTestData.Read("otlp2parquet_testdata/logs.pb") };
        for (var i = 0; i < 20; i++)
        {
            sources.Add(WireShuffler.Shuffle(LogRequestGenerator.Build(random).ToByteArray(), random, 0.5, logs: true));
        }

        for (var i = 0; i < 2000; i++)
        {
            var payload = WireTraceEquivalenceTests.Mutate(sources[random.Next(sources.Count)], random);

            var reference = decoders.Reference(payload);
            var wire = decoders.Wire(payload);

            Assert.True(TraceDecoders.Difference(reference, wire) is null, $"iteration {i}: {TraceDecoders.Difference(reference, wire)}\n{Convert.ToHexString(payload)}");
            outcomes[reference.Error is null ? 0 : 1]++;
        }

        Assert.True(outcomes[0] > 100 && outcomes[1] > 100, $"{outcomes[0]} decoded, {outcomes[1]} refused");
    }

    [Fact]
    public void Decode_LogsProtobuf_UsesTheWireReader()
    {
        var payload = OtlpTestData.Read("otlp2parquet_testdata/logs.pb")[..300];

        var e = Assert.Throws<OtlpFormatException>(() => new OtlpDecoder().Decode(OtlpSignalType.Logs, OtlpEncoding.Protobuf, payload, []));

        Assert.StartsWith("logs request is not valid protobuf: resourceLogs[0]", e.Message, StringComparison.Ordinal);
        Assert.Contains("(at byte ", e.Message, StringComparison.Ordinal);
    }
}
