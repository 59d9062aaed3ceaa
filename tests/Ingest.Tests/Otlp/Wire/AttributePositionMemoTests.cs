using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;
using Autopilot.Ingest.Otlp.Wire;
using Google.Protobuf;

namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// The wire reader remembers each attribute position's previous key and value (<see cref="WireAttributeBuilder.RecallKey"/>,
/// <see cref="WireAttributeBuilder.RecallValue"/>): what it recalls must be exactly what a lookup gives, whatever follows
/// what at a position (same bytes as another type, a different key, values around the remembered length, non-ASCII).
/// </summary>
public sealed class AttributePositionMemoTests
{
    private static readonly string[] Keys = ["http.response.status_code", "url.scheme", "server.port", "ключ", "app.total", "db.collection.name", "messaging.system", "db.system.name"];

    private static readonly AnyValue[] Values =
    [
        new() { StringValue = "200" }, new() { IntValue = 200 }, new() { DoubleValue = 200 }, new() { DoubleValue = -0.0 }, new() { DoubleValue = 0.0 },
        new() { IntValue = 0 }, new() { BoolValue = true }, new() { StringValue = string.Empty }, new(), new() { StringValue = "https" },
        new() { StringValue = "Ünïcödé 日本語" }, new() { StringValue = new string('a', 255) }, new() { StringValue = new string('a', 256) },
        new() { StringValue = new string('a', 257) }, new() { StringValue = new string('a', 400) }, new() { StringValue = "orders" },
        new() { StringValue = "kafka" }, new() { StringValue = "postgresql" }, new() { BytesValue = ByteString.CopyFromUtf8("200") },
        new() { ArrayValue = new ArrayValue { Values = { new AnyValue { StringValue = "200" } } } },
    ];

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public void NormalizeTraces_ValuesRepeatingAndChangingByPosition_EqualObjectGraphPath(int seed)
    {
        var random = new Random(seed);
        var decoders = new TraceDecoders();
        for (var i = 0; i < 20; i++)
        {
            var payload = Build(random).ToByteArray();

            Assert.True(TraceDecoders.Difference(decoders.Reference(payload), decoders.Wire(payload)) is null, $"seed {seed} request {i}: {TraceDecoders.Difference(decoders.Reference(payload), decoders.Wire(payload))}");
        }
    }

    [Fact]
    public void RecallValue_SameBytesOrBitsAtSamePosition_ReturnsRememberedStringAndCleanness_OtherwiseNull()
    {
        var builder = new WireAttributeBuilder(new KeyArrayCache(16));
        var text = RememberAt0(builder, Str("https"), "https");
        builder.Reset();

        var same = Str("https");
        var other = Str("http");
        var asInt = new WireValue { Case = WireValueCase.Int, Bits = 5 };
        Assert.Same(text, builder.RecallValue(ref same, out var clean));
        Assert.True(clean);
        Assert.Null(builder.RecallValue(ref other, out var otherClean));
        Assert.False(otherClean); // a value not recalled was not judged: the redactor must see it
        Assert.Null(builder.RecallValue(ref asInt, out _));

        // The next position has nothing remembered yet.
        builder.Add("k", text);
        Assert.Null(builder.RecallValue(ref same, out _));

        builder.Reset();
        var number = RememberAt0(builder, new WireValue { Case = WireValueCase.Int, Bits = 5 }, "5", clean: false);
        builder.Reset();
        var asDouble = new WireValue { Case = WireValueCase.Double, Bits = 5 };
        var sameNumber = new WireValue { Case = WireValueCase.Int, Bits = 5 };
        Assert.Null(builder.RecallValue(ref asDouble, out _));
        Assert.Same(number, builder.RecallValue(ref sameNumber, out clean));
        Assert.False(clean);

        // Too long to remember: it is not recalled, and what the position remembered before it still is.
        builder.Reset();
        var longText = new string('x', 257);
        RememberAt0(builder, Str(longText), longText);
        builder.Reset();
        var longValue = Str(longText);
        var sameNumberAgain = new WireValue { Case = WireValueCase.Int, Bits = 5 };
        Assert.Null(builder.RecallValue(ref longValue, out _));
        Assert.Same(number, builder.RecallValue(ref sameNumberAgain, out _));
    }

    [Fact]
    public void RecallValue_FourValuesAlternatingAtOnePosition_AllRecalled_FifthForgetsOldest()
    {
        var builder = new WireAttributeBuilder(new KeyArrayCache(16));
        string[] methods = ["GET", "POST", "PUT", "DELETE"];
        var texts = methods.Select(m =>
        {
            builder.Reset();
            return RememberAt0(builder, Str(m), new string(m.AsSpan()));
        }).ToArray();

        for (var i = 0; i < methods.Length; i++)
        {
            builder.Reset();
            var value = Str(methods[i]);
            Assert.Same(texts[i], builder.RecallValue(ref value, out _));
        }

        builder.Reset();
        var patch = RememberAt0(builder, Str("PATCH"), "PATCH");
        builder.Reset();
        var get = Str("GET");
        var post = Str("POST");
        var patchAgain = Str("PATCH");
        Assert.Null(builder.RecallValue(ref get, out _));
        Assert.Same(texts[1], builder.RecallValue(ref post, out _));
        Assert.Same(patch, builder.RecallValue(ref patchAgain, out _));
    }

    [Fact]
    public void RecallKey_TwoKeysAlternatingAtOnePosition_BothRecalled_ThirdForgetsOlder()
    {
        var table = new AttributeKeyTable(64, 128);
        var builder = new WireAttributeBuilder(new KeyArrayCache(16));
        var http = builder.RememberKey(table.Get("http.request.method"u8));
        builder.Reset();
        var db = builder.RememberKey(table.Get("db.system.name"u8));
        builder.Reset();

        Assert.Same(http, builder.RecallKey("http.request.method"u8));
        Assert.Same(db, builder.RecallKey("db.system.name"u8));

        var messaging = builder.RememberKey(table.Get("messaging.system"u8));
        builder.Reset();
        Assert.Same(messaging, builder.RecallKey("messaging.system"u8));
        Assert.Same(db, builder.RecallKey("db.system.name"u8));
        Assert.Null(builder.RecallKey("http.request.method"u8));
    }

    [Fact]
    public void RecallKey_SameBytesAtSamePosition_ReturnsRememberedKey()
    {
        var table = new AttributeKeyTable(64, 128);
        var builder = new WireAttributeBuilder(new KeyArrayCache(16));
        var key = builder.RememberKey(table.Get("url.scheme"u8));
        builder.Reset();

        Assert.Same(key, builder.RecallKey("url.scheme"u8));
        Assert.Null(builder.RecallKey("url.schemf"u8));
        Assert.Null(builder.RecallKey("url.schem"u8));
    }

    private static string RememberAt0(WireAttributeBuilder builder, WireValue value, string text, bool clean = true)
    {
        builder.RememberValue(ref value, text, clean);
        builder.Add("k", text);
        return text;
    }

    private static WireValue Str(string text) => new() { Case = WireValueCase.String, Bytes = System.Text.Encoding.UTF8.GetBytes(text) };

    // Spans with 1-6 attributes from small pools, so positions often repeat a key or a value and often change either.
    private static ExportTraceServiceRequest Build(Random random)
    {
        var scope = new ScopeSpans { Scope = new InstrumentationScope { Name = "memo" } };
        for (var s = 0; s < 200; s++)
        {
            var span = new Span
            {
                TraceId = ByteString.CopyFrom(Enumerable.Range(1, 16).Select(b => (byte)(b + s)).ToArray()),
                SpanId = ByteString.CopyFrom(Enumerable.Range(1, 8).Select(b => (byte)(b + s)).ToArray()),
                Name = "op" + (s % 3),
                StartTimeUnixNano = 1_000_000_000UL + (ulong)s,
                EndTimeUnixNano = 2_000_000_000UL + (ulong)s,
            };
            var count = random.Next(1, 7);
            for (var a = 0; a < count; a++)
            {
                span.Attributes.Add(new KeyValue { Key = Keys[random.Next(random.Next(2) == 0 ? 2 : Keys.Length)], Value = Values[random.Next(random.Next(2) == 0 ? 3 : Values.Length)] });
            }

            scope.Spans.Add(span);
        }

        var resource = new Resource();
        resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new AnyValue { StringValue = "memo" } });
        return new ExportTraceServiceRequest { ResourceSpans = { new ResourceSpans { Resource = resource, ScopeSpans = { scope } } } };
    }
}
