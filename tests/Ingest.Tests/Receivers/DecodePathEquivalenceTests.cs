using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Tests.Otlp;
using Autopilot.Ingest.Tests.Otlp.Wire;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Receivers;

/// <summary>
/// Differential tests of the whole decode step ingest runs before the write-ahead log (<see cref="SignalDecoder"/>:
/// decode, URNs and aliases, partial success, redaction): the wire reader against Google.Protobuf + the normalizer, on
/// every trace and log sample of ../shared/data/otlp (as they are, with secrets planted, truncated and mutated) and on
/// seeded generated, re-encoded and mutated requests. Both must refuse the same requests and accept the rest with the
/// same counts, first error, redacted signals, signals and log records.
/// </summary>
public sealed class DecodePathEquivalenceTests
{
    private static readonly string[] PlantedSecrets = ["hunter2", "jane.doe@example.com", "abcdef0123456789", "AKIAIOSFODNN7EXAMPLE", "s3cr3t", "4111 1111 1111 1111", "5555-5555-5555-4444", "eyJhbGciOiJIUzI1NiJ9"];

    public static TheoryData<string, string> Samples()
    {
        var data = new TheoryData<string, string>();
        foreach (var entry in OtlpTestData.Index.Where(e => e.IsOtlp && !e.IsInvalidCase && e.Signal is "traces" or "logs"))
        {
            data.Add(entry.File, entry.Signal);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Decode_RealSample_SameAsObjectGraphPath_AsItIsAndWithSecretsPlanted(string file, string signalName)
    {
        var signal = signalName == "traces" ? IngestSignal.Traces : IngestSignal.Logs;
        var paths = new DecodePaths();
        var original = Payload(file, signalName, inject: null);
        var planted = Payload(file, signalName, new Random(file.Length));

        var (reference, _, difference) = paths.Compare(signal, original);
        var (plantedReference, plantedWire, plantedDifference) = paths.Compare(signal, planted);

        Assert.Null(reference.Error);
        Assert.Null(difference);
        Assert.Null(plantedReference.Error);
        Assert.Null(plantedDifference);
        Assert.Equal(GoldenFileTests.ExpectedByFile[file].Items, reference.Request.AcceptedItems + reference.Request.RejectedItems);

        // Every sample has at least one resource, and half of them get a planted attribute: over the samples, redaction
        // must have happened, and what it redacted must be gone (checked per sample when anything was redacted).
        if (plantedWire.Request.RedactedSignals > 0)
        {
            AssertNoPlantedSecret(plantedWire.Request);
        }
    }

    [Fact]
    public void Decode_RealSamplesWithSecrets_RedactSomething()
    {
        var paths = new DecodePaths();
        var redacted = 0;
        foreach (var (file, signalName) in Samples().Select(row => ((string)row[0], (string)row[1])))
        {
            var signal = signalName == "traces" ? IngestSignal.Traces : IngestSignal.Logs;
            var (_, wire, difference) = paths.Compare(signal, Payload(file, signalName, new Random(file.Length)));
            Assert.True(difference is null, $"{file}: {difference}");
            redacted += wire.Request.RedactedSignals;
        }

        Assert.True(redacted > 20, $"only {redacted} signals redacted over the samples");
    }

    [Theory]
    [InlineData("otlp2parquet_testdata/trace.pb", "traces")]
    [InlineData("otlp2parquet_testdata/traces.pb", "traces")]
    [InlineData("otlp2parquet_testdata/logs.pb", "logs")]
    public void Decode_RealSampleTruncatedAtEveryLength_SameRefusals(string file, string signalName)
    {
        if (!File.Exists(Path.Combine(OtlpTestData.Root, file)))
        {
            // Each named sample must exist, or this test proves nothing.
            Assert.Fail($"{file} is not in ../shared/data/otlp");
        }

        var signal = signalName == "traces" ? IngestSignal.Traces : IngestSignal.Logs;
        var payload = OtlpTestData.Read(file);
        var paths = new DecodePaths();
        var refused = 0;
        for (var length = 0; length < payload.Length; length++)
        {
            var (reference, _, difference) = paths.Compare(signal, payload[..length]);

            Assert.True(difference is null, $"{file} cut to {length} bytes: {difference}");
            refused += reference.Error is null ? 0 : 1;
        }

        Assert.True(refused > payload.Length / 2, $"only {refused} of {payload.Length} truncations were refused");
    }

    [Theory]
    [InlineData(IngestSignal.Traces, 101)]
    [InlineData(IngestSignal.Traces, 102)]
    [InlineData(IngestSignal.Logs, 103)]
    [InlineData(IngestSignal.Logs, 104)]
    public void Decode_GeneratedRequestsWithSecrets_Reencoded_SameAsObjectGraphPath(IngestSignal signal, int seed)
    {
        var random = new Random(seed);
        var paths = new DecodePaths();
        var (redacted, rejected, accepted) = (0L, 0L, 0L);
        for (var i = 0; i < 200; i++)
        {
            var payload = WireShuffler.Shuffle(Generated(signal, random), random, 0.5, logs: signal == IngestSignal.Logs);

            var (reference, wire, difference) = paths.Compare(signal, payload);

            Assert.True(difference is null, $"seed {seed} request {i}: {difference}\n{Convert.ToHexString(payload)}");
            if (reference.Error is null)
            {
                AssertNoPlantedSecret(wire.Request);
                redacted += wire.Request.RedactedSignals;
                rejected += wire.Request.RejectedItems;
                accepted += wire.Request.AcceptedItems;
            }
        }

        // The generator must reach redaction and partial success, or equality proves little.
        Assert.True(redacted > 20 && rejected > 20 && accepted > 100, $"{redacted} redacted signals, {rejected} rejected and {accepted} accepted items");
    }

    [Theory]
    [InlineData(IngestSignal.Traces, 111)]
    [InlineData(IngestSignal.Logs, 112)]
    public void Decode_MutatedBytes_SameRefusalsAndSignals(IngestSignal signal, int seed)
    {
        var random = new Random(seed);
        var paths = new DecodePaths();
        var sources = new List<byte[]>
        {
            Payload(signal == IngestSignal.Traces ? "otlp2parquet_testdata/traces.pb" : "otlp2parquet_testdata/logs.pb", signal == IngestSignal.Traces ? "traces" : "logs", new Random(seed)),
        };
        for (var i = 0; i < 20; i++)
        {
            sources.Add(Generated(signal, random));
        }

        var outcomes = new int[2];
        for (var i = 0; i < 1500; i++)
        {
            var payload = WireTraceEquivalenceTests.Mutate(sources[random.Next(sources.Count)], random);

            var (reference, _, difference) = paths.Compare(signal, payload);

            Assert.True(difference is null, $"seed {seed} iteration {i}: {difference}\n{Convert.ToHexString(payload)}");
            outcomes[reference.Error is null ? 0 : 1]++;
        }

        Assert.True(outcomes[0] > 100 && outcomes[1] > 100, $"{outcomes[0]} mutations decoded, {outcomes[1]} refused");
    }

    [Fact]
    public void Decode_ConfiguredRulesAndAliases_SameAsObjectGraphPath()
    {
        // A configured key rule with its own replacement, a configured value rule, a built-in rule disabled, an alias.
        var redaction = new RedactionOptions
        {
            Replacement = "***",
            Disable = { "email" },
            Rules =
            {
                new RedactionRuleOptions { Name = "customer", Key = @"^customer\.", Replacement = "[CUSTOMER]" },
                new RedactionRuleOptions { Name = "order", Value = @"order (?<secret>[0-9]{6,})" },
            },
        };
        var options = new IngestOptions();
        options.UrnAliases["urn:autopilot:service:production:checkout"] = "urn:autopilot:service:prod:checkout";
        var paths = new DecodePaths(options, redaction);
        var random = new Random(121);
        var (customer, order, emails, aliased) = (0, 0, 0, 0);
        var payloads = LoadGeneratorPayloads.Messages(1).Select(p => Planted(ExportTraceServiceRequest.Parser.ParseFrom(p), random))
            .Concat(Enumerable.Range(0, 100).Select(_ => Generated(IngestSignal.Traces, random)));
        foreach (var payload in payloads)
        {
            var (reference, wire, difference) = paths.Compare(IngestSignal.Traces, payload);

            Assert.True(difference is null, difference);
            Assert.Null(reference.Error);
            foreach (var s in wire.Request.Signals)
            {
                customer += s.Attributes.Get("customer.id") == "[CUSTOMER]" ? 1 : 0;
                order += s.Name.Contains("order ***", StringComparison.Ordinal) ? 1 : 0;
                emails += s.Name.Contains("jane.doe@example.com", StringComparison.Ordinal) ? 1 : 0;
                aliased += s.Urn == "urn:autopilot:service:prod:checkout" ? 1 : 0;
            }
        }

        Assert.True(customer > 0 && order > 0 && emails > 0 && aliased > 0, $"customer {customer}, order {order}, kept e-mails {emails}, aliased {aliased}");
    }

    private static byte[] Payload(string file, string signalName, Random? inject)
    {
        if (signalName == "traces")
        {
            var traces = file.EndsWith(".pb", StringComparison.Ordinal)
                ? ExportTraceServiceRequest.Parser.ParseFrom(OtlpTestData.Read(file))
                : DecodedFile.Load(file, "traces").Traces;
            return inject is null && file.EndsWith(".pb", StringComparison.Ordinal) ? OtlpTestData.Read(file) : Planted(traces, inject);
        }

        var logs = file.EndsWith(".pb", StringComparison.Ordinal)
            ? ExportLogsServiceRequest.Parser.ParseFrom(OtlpTestData.Read(file))
            : DecodedFile.Load(file, "logs").Logs;
        return inject is null && file.EndsWith(".pb", StringComparison.Ordinal) ? OtlpTestData.Read(file) : Planted(logs, inject);
    }

    private static byte[] Generated(IngestSignal signal, Random random) =>
        signal == IngestSignal.Traces ? Planted(TraceRequestGenerator.Build(random), random) : Planted(LogRequestGenerator.Build(random), random);

    private static byte[] Planted(ExportTraceServiceRequest request, Random? random)
    {
        if (random is not null)
        {
            SecretInjector.Inject(request, random);
        }

        return request.ToByteArray();
    }

    private static byte[] Planted(ExportLogsServiceRequest request, Random? random)
    {
        if (random is not null)
        {
            SecretInjector.Inject(request, random);
        }

        return request.ToByteArray();
    }

    private static void AssertNoPlantedSecret(DecodedRequest request)
    {
        foreach (var s in request.Signals)
        {
            foreach (var secret in PlantedSecrets)
            {
                Assert.False(s.Name.Contains(secret, StringComparison.Ordinal), $"'{secret}' left in name '{s.Name}'");
                for (var a = 0; a < s.Attributes.Count; a++)
                {
                    Assert.False(s.Attributes.ValueAt(a).Contains(secret, StringComparison.Ordinal), $"'{secret}' left in {s.Attributes.KeyAt(a)}={s.Attributes.ValueAt(a)}");
                }
            }
        }
    }
}
