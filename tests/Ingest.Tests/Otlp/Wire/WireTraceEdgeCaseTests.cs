using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// Hand-written wire encodings at the edges of the protobuf rules: merged and reordered fields, wrong wire types,
/// groups, non-minimal and overlong varints, invalid UTF-8, and nesting at the recursion limit. Each case checks what
/// the reference (Google.Protobuf + the object-graph normalizer) does and that the span-based reader does the same.
/// </summary>
public sealed class WireTraceEdgeCaseTests
{
    private static readonly byte[] TraceIdBytes = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
    private static readonly byte[] SpanIdBytes = Convert.FromHexString("1112131415161718");

    private readonly TraceDecoders _decoders = new();

    [Fact]
    public void ResourceAfterScopes_AndScopeAfterSpans_AreStillApplied()
    {
        var scopeSpans = new RawProto().Message(2, Span()).Message(1, new RawProto().String(1, "my.scope"));
        var resourceSpans = new RawProto().Message(2, scopeSpans).Message(1, Resource("checkout", "prod"));

        var signal = Single(new RawProto().Message(1, resourceSpans));

        Assert.Equal("urn:autopilot:service:prod:checkout", signal.Urn);
        Assert.Equal("my.scope", signal.Attributes.Get("otel.scope.name"));
    }

    [Fact]
    public void RepeatedSingularFields_LastWins_AndMessagesMerge()
    {
        var span = Span()
            .String(5, "second name")
            .Message(15, new RawProto().VarintField(3, 2))
            .Message(15, new RawProto().String(2, "boom"));
        var resource = Resource("first", "prod");
        var resourceSpans = new RawProto()
            .Message(1, resource)
            .Message(1, new RawProto().Message(1, KeyValue("service.name", new RawProto().String(1, "second"))))
            .Message(2, new RawProto().Message(2, span));

        var signal = Single(new RawProto().Message(1, resourceSpans));

        Assert.Equal("second name", signal.Name);
        Assert.Equal("urn:autopilot:service:prod:second", signal.Urn);
        Assert.Equal(SignalStatus.Error, signal.Status);
        Assert.Equal("boom", signal.Attributes.Get("status.message"));
    }

    [Theory]
    [InlineData("string then int")]
    [InlineData("int then string")]
    [InlineData("array then array")]
    [InlineData("array then string")]
    [InlineData("string then array")]
    public void AttributeValueInSeveralOccurrences_MergesAsProtobufDoes(string name)
    {
        var array = new RawProto().Message(5, new RawProto().Message(1, new RawProto().String(1, "a")));
        var (one, two) = name switch
        {
            "string then int" => (new RawProto().String(1, "text"), new RawProto().VarintField(3, 404)),
            "int then string" => (new RawProto().VarintField(3, 404), new RawProto().String(1, "text")),
            "array then array" => (array, new RawProto().Message(5, new RawProto().Message(1, new RawProto().VarintField(3, 7)))),
            "array then string" => (array, new RawProto().String(1, "text")),
            _ => (new RawProto().String(1, "text"), array),
        };
        var keyValue = new RawProto().String(1, "http.response.status_code").Message(2, one).Message(2, two);

        var signal = Single(Request(Span().Message(9, keyValue)));

        var expected = name switch
        {
            "string then int" => "404",
            "int then string" => "text",
            "array then array" => "[\"a\",7]",
            "array then string" => "text",
            _ => "[\"a\"]",
        };
        Assert.Equal(expected, signal.Attributes.Get("http.response.status_code"));
        Assert.Equal(name == "string then int" ? 404 : 0, signal.StatusCode);
    }

    [Fact]
    public void KnownFieldWithWrongWireType_IsAnUnknownField()
    {
        // trace_id as a varint and name as fixed64: Google.Protobuf keeps both as unknown fields.
        var span = new RawProto().VarintField(1, 5).Bytes(2, SpanIdBytes).Fixed64Field(5, 42).Bytes(1, TraceIdBytes);
        var signal = Single(Request(span));
        Assert.Equal(string.Empty, signal.Name);

        var noTraceId = new RawProto().VarintField(1, 5).Bytes(2, SpanIdBytes);
        var outcome = Same(Request(noTraceId));
        Assert.Equal(1, outcome.Result.Rejected);
        Assert.Equal("span 0 of scope 0 of resource 0: trace id has 0 bytes, expected 16", outcome.Result.FirstError);
    }

    [Fact]
    public void UnknownGroups_AreSkipped_WhenWellFormed()
    {
        var group = new RawProto().Tag(99, 3).VarintField(1, 1).Tag(98, 3).String(2, "inner").Tag(98, 4).Tag(99, 4);
        var span = Span().Raw(group.ToArray());

        Assert.Equal("GET /", Single(Request(span)).Name);
    }

    [Theory]
    [InlineData("end group without start")]
    [InlineData("mismatched end group")]
    [InlineData("unterminated group")]
    [InlineData("wire type 6")]
    [InlineData("wire type 7")]
    [InlineData("field number 0")]
    [InlineData("11-byte varint")]
    [InlineData("negative length")]
    [InlineData("length past the end")]
    [InlineData("truncated fixed64")]
    public void MalformedWire_IsRefusedByBoth_NamingTheProblem(string problem)
    {
        var extra = problem switch
        {
            "end group without start" => new RawProto().Tag(9, 4),
            "mismatched end group" => new RawProto().Tag(99, 3).Tag(98, 4),
            "unterminated group" => new RawProto().Tag(99, 3).VarintField(1, 1),
            "wire type 6" => new RawProto().Tag(20, 6),
            "wire type 7" => new RawProto().Tag(20, 7),
            "field number 0" => new RawProto().Tag(0, 0).Varint(1),
            "11-byte varint" => new RawProto().Tag(20, 0).Raw([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
            "negative length" => new RawProto().Tag(5, 2).Raw([0xff, 0xff, 0xff, 0xff, 0x0f]),
            "length past the end" => new RawProto().Tag(5, 2).Varint(500).Raw("abc"u8),
            _ => new RawProto().Tag(7, 1).Raw([1, 2, 3]),
        };
        var payload = Request(Span().Raw(extra.ToArray()));

        var reference = _decoders.Reference(payload);
        var wire = _decoders.Wire(payload);

        Assert.NotNull(reference.Error);
        Assert.NotNull(wire.Error);
        Assert.StartsWith("traces request is not valid protobuf: resourceSpans[0].scopeSpans[0].spans[0]: ", wire.Error, StringComparison.Ordinal);
        Assert.Matches(problem switch
        {
            "end group without start" => "end-group tag of field 9 without a group",
            "mismatched end group" => "group \\(field 99\\) ends with the end-group tag of field 98",
            "unterminated group" => "group \\(field 99\\) has no end-group tag",
            "wire type 6" => "field 20 has invalid wire type 6",
            "wire type 7" => "field 20 has invalid wire type 7",
            "field number 0" => "field number 0",
            "11-byte varint" => "malformed varint",
            "negative length" => "negative length",
            "length past the end" => "claims 500 bytes but only 3 remain",
            _ => "fixed64 value needs 8 bytes but only 3 remain",
        }, wire.Error);
    }

    [Fact]
    public void NonMinimalVarints_AreAccepted()
    {
        // A 10-byte varint is the longest protobuf allows; padding is legal for tags, lengths and values.
        var span = new RawProto()
            .Tag(1, 2).Varint(16, extraBytes: 8).Raw(TraceIdBytes)
            .Tag(2, 2).Varint(8, extraBytes: 3).Raw(SpanIdBytes)
            .Tag(6, 0).Varint(2, extraBytes: 9)
            .Raw([0xAA, 0x80, 0x80, 0x80, 0x00]).Varint(3).Raw("abc"u8);

        var signal = Single(Request(span));

        Assert.Equal("server", signal.Attributes.Get("span.kind"));
        Assert.Equal("abc", signal.Name);
    }

    [Fact]
    public void InvalidUtf8_BecomesReplacementCharacters_AsBefore()
    {
        var keyValue = new RawProto().Bytes(1, [0x61, 0xC3, 0x28]).Message(2, new RawProto().Bytes(1, [0xED, 0xA0, 0x80, 0x62]));
        var span = Span().Bytes(5, [0xFF, 0x41]).Message(9, keyValue);

        var signal = Single(Request(span));

        Assert.Equal("\uFFFDA", signal.Name);
        Assert.Equal("\uFFFD\uFFFD\uFFFDb", signal.Attributes.Get("a\uFFFD("));
    }

    [Fact]
    public void NestedValues_AtTheRecursionLimit_SameOutcome()
    {
        // The span attribute's AnyValue is at level 5; each array adds two levels (ArrayValue, AnyValue).
        var accepted = 0;
        var refused = 0;
        for (var arrays = 40; arrays <= 52; arrays++)
        {
            var value = new RawProto().String(1, "leaf");
            for (var i = 0; i < arrays; i++)
            {
                value = new RawProto().Message(5, new RawProto().Message(1, value));
            }

            var payload = Request(Span().Message(9, new RawProto().String(1, "deep").Message(2, value)));
            var outcome = Same(payload);
            if (outcome.Error is null)
            {
                accepted++;
            }
            else
            {
                refused++;
                Assert.Contains("nested deeper than the recursion limit of 100 levels", _decoders.Wire(payload).Error, StringComparison.Ordinal);
            }
        }

        Assert.True(accepted > 0 && refused > 0, $"the limit was not crossed: {accepted} accepted, {refused} refused");
    }

    [Fact]
    public void NestedGroups_AtTheRecursionLimit_SameOutcome()
    {
        var accepted = 0;
        var refused = 0;
        for (var groups = 90; groups <= 100; groups++)
        {
            var group = new RawProto();
            for (var i = 0; i < groups; i++)
            {
                group.Tag(50, 3);
            }

            for (var i = 0; i < groups; i++)
            {
                group.Tag(50, 4);
            }

            var outcome = Same(Request(Span().Raw(group.ToArray())));
            if (outcome.Error is null)
            {
                accepted++;
            }
            else
            {
                refused++;
            }
        }

        Assert.True(accepted > 0 && refused > 0, $"the limit was not crossed: {accepted} accepted, {refused} refused");
    }

    [Fact]
    public void MessagingAndDatabaseSpans_EmitRecordsAsBefore()
    {
        var span = Span()
            .VarintField(6, 4)
            .Message(9, KeyValue("messaging.system", new RawProto().String(1, "kafka")))
            .Message(9, KeyValue("messaging.destination.name", new RawProto().String(1, "orders")))
            .Message(9, KeyValue("messaging.message.id", new RawProto().String(1, "m-1")))
            .Message(9, KeyValue("db.system", new RawProto().String(1, "postgresql")))
            .Message(9, KeyValue("db.sql.table", new RawProto().String(1, "orders")))
            .Message(9, KeyValue("rpc.grpc.status_code", new RawProto().Fixed64Field(4, BitConverter.DoubleToUInt64Bits(14.9))));

        var outcome = Same(Request(span));

        Assert.Collection(
            outcome.Signals,
            s => Assert.Equal((SignalKind.Span, 14, "m-1"), (s.Kind, s.StatusCode, s.CorrelationId)),
            s => Assert.Equal((SignalKind.Record, "urn:autopilot:topic:kafka:orders", "publish"), (s.Kind, s.Urn, s.Name)),
            s => Assert.Equal((SignalKind.Record, "urn:autopilot:dataset:postgresql:orders", "GET /"), (s.Kind, s.Urn, s.Name)));
    }

    [Fact]
    public void IntegerValues_AroundTheSharedSmallNumbers_RenderAsBefore()
    {
        // The reader keeps one string per integer below 1024; the values on either side of that edge, negative ones and
        // the extremes must render exactly as the object-graph path renders them, in every position and order.
        long[] numbers = [0, 1, 9, 10, 200, 1023, 1024, 1025, -1, -1023, -1024, long.MaxValue, long.MinValue, 65_535];
        var span = Span();
        foreach (var number in numbers)
        {
            span = span.Message(9, KeyValue("n" + number.ToString(System.Globalization.CultureInfo.InvariantCulture), new RawProto().VarintField(3, unchecked((ulong)number))));
        }

        var signal = Single(Request(span));

        foreach (var number in numbers)
        {
            var text = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(text, signal.Attributes.Get("n" + text));
        }
    }

    private TraceDecoders.Outcome Same(byte[] payload)
    {
        var reference = _decoders.Reference(payload);
        Assert.Null(TraceDecoders.Difference(reference, _decoders.Wire(payload)));
        return reference;
    }

    private Signal Single(RawProto request) => Single(request.ToArray());

    private Signal Single(byte[] payload)
    {
        var outcome = Same(payload);
        Assert.Null(outcome.Error);
        return Assert.Single(outcome.Signals);
    }

    private static RawProto Span() =>
        new RawProto().Bytes(1, TraceIdBytes).Bytes(2, SpanIdBytes).String(5, "GET /").VarintField(6, 2).Fixed64Field(7, 1_000_000).Fixed64Field(8, 3_000_000);

    private static RawProto Resource(string service, string environment) =>
        new RawProto()
            .Message(1, KeyValue("service.name", new RawProto().String(1, service)))
            .Message(1, KeyValue("deployment.environment.name", new RawProto().String(1, environment)));

    private static RawProto KeyValue(string key, RawProto value) => new RawProto().String(1, key).Message(2, value);

    private static byte[] Request(RawProto span) =>
        new RawProto().Message(1, new RawProto().Message(1, Resource("svc", "test")).Message(2, new RawProto().Message(2, span))).ToArray();
}
