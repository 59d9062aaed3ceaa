namespace Autopilot.Ingest.Tests.Otlp.Wire;

/// <summary>
/// Rewrites a valid trace (or log) request's bytes into the encodings other producers (or attackers) send and Google.Protobuf
/// accepts: fields in any order, singular messages split into several occurrences (which protobuf merges), fields
/// repeated (the last wins), unknown fields of every wire type including nested groups, known field numbers with the
/// wrong wire type, and non-minimal varints. The result need not mean the same as the input: the reference decoder
/// judges every variant, so the rewriter only has to produce interesting bytes.
/// </summary>
internal static class WireShuffler
{
    private enum Kind
    {
        Request,
        ResourceSpans,
        Resource,
        ScopeSpans,
        Scope,
        Span,
        LogRecord,
        Event,
        Link,
        Status,
        KeyValue,
        AnyValue,
        ArrayValue,
        KeyValueList,
        Opaque,
    }

    // Which length-delimited fields of each message are messages themselves, and of what kind. Logs have the shape of
    // traces down to the item (ResourceLogs, ScopeLogs), so they share the container kinds.
    private static Kind? Nested(Kind parent, int field, bool logs) => (parent, field) switch
    {
        (Kind.Request, 1) => Kind.ResourceSpans,
        (Kind.ResourceSpans, 1) => Kind.Resource,
        (Kind.ResourceSpans, 2) => Kind.ScopeSpans,
        (Kind.Resource, 1) => Kind.KeyValue,
        (Kind.Resource, 3) => Kind.Opaque,
        (Kind.ScopeSpans, 1) => Kind.Scope,
        (Kind.ScopeSpans, 2) => logs ? Kind.LogRecord : Kind.Span,
        (Kind.LogRecord, 5) => Kind.AnyValue,
        (Kind.LogRecord, 6) => Kind.KeyValue,
        (Kind.Scope, 3) => Kind.KeyValue,
        (Kind.Span, 9) => Kind.KeyValue,
        (Kind.Span, 11) => Kind.Event,
        (Kind.Span, 13) => Kind.Link,
        (Kind.Span, 15) => Kind.Status,
        (Kind.Event, 3) => Kind.KeyValue,
        (Kind.Link, 4) => Kind.KeyValue,
        (Kind.KeyValue, 2) => Kind.AnyValue,
        (Kind.AnyValue, 5) => Kind.ArrayValue,
        (Kind.AnyValue, 6) => Kind.KeyValueList,
        (Kind.ArrayValue, 1) => Kind.AnyValue,
        (Kind.KeyValueList, 1) => Kind.KeyValue,
        _ => null,
    };

    // Singular message fields: splitting one into two occurrences is a merge, not a second element.
    private static bool IsSingular(Kind parent, int field) =>
        (parent, field) is (Kind.ResourceSpans, 1) or (Kind.ScopeSpans, 1) or (Kind.Span, 15) or (Kind.KeyValue, 2) or (Kind.LogRecord, 5);

    /// <summary>
    /// Rewrites <paramref name="request"/>, Google.Protobuf's encoding of an ExportTraceServiceRequest (or, with
    /// <paramref name="logs"/>, an ExportLogsServiceRequest); <paramref name="intensity"/> (0..1) scales how many
    /// fields <paramref name="random"/> picks for each rewrite.
    /// </summary>
    public static byte[] Shuffle(byte[] request, Random random, double intensity, bool logs = false)
    {
        var output = new RawProto();
        Rewrite(request, Kind.Request, random, intensity, logs, output);
        return output.ToArray();
    }

    private static void Rewrite(ReadOnlySpan<byte> message, Kind kind, Random random, double intensity, bool logs, RawProto output)
    {
        var fields = Split(message);
        var rewritten = new List<byte[]>();
        foreach (var field in fields)
        {
            if (field.WireType == 2 && Nested(kind, field.Number, logs) is { } child)
            {
                if (child == Kind.Opaque)
                {
                    rewritten.Add(Encode(field.Number, 2, field.Payload, random, intensity));
                    continue;
                }

                if (IsSingular(kind, field.Number) && random.NextDouble() < intensity)
                {
                    // Two occurrences whose fields together are the original's: protobuf merges them.
                    var parts = Split(field.Payload);
                    var cut = random.Next(parts.Count + 1);
                    rewritten.Add(EncodeMessage(field.Number, parts.Take(cut), child, random, intensity, logs));
                    rewritten.Add(EncodeMessage(field.Number, parts.Skip(cut), child, random, intensity, logs));
                    continue;
                }

                var inner = new RawProto();
                Rewrite(field.Payload, child, random, intensity, logs, inner);
                rewritten.Add(Encode(field.Number, 2, inner.ToArray(), random, intensity));
                continue;
            }

            if (random.NextDouble() < intensity / 3)
            {
                // An earlier occurrence of the same field with another value: the later one must win.
                rewritten.Add(Decoy(field, random));
            }

            rewritten.Add(Encode(field.Number, field.WireType, field.Payload, random, intensity));
        }

        if (random.NextDouble() < intensity)
        {
            rewritten.Insert(random.Next(rewritten.Count + 1), Unknown(random, 0));
        }

        if (random.NextDouble() < intensity / 2)
        {
            // Reorder, keeping the relative order of fields with the same number (repeated fields keep their order).
            rewritten = StableShuffle(rewritten, random);
        }

        foreach (var bytes in rewritten)
        {
            output.Raw(bytes);
        }
    }

    private static byte[] EncodeMessage(int number, IEnumerable<Field> fields, Kind kind, Random random, double intensity, bool logs)
    {
        var body = new RawProto();
        foreach (var field in fields)
        {
            body.Raw(Encode(field.Number, field.WireType, field.Payload, random, 0));
        }

        var inner = new RawProto();
        Rewrite(body.ToArray(), kind, random, intensity, logs, inner);
        return Encode(number, 2, inner.ToArray(), random, intensity);
    }

    private static byte[] Encode(int number, int wireType, byte[] payload, Random random, double intensity)
    {
        var padding = random.NextDouble() < intensity / 4 ? random.Next(1, 4) : 0;
        var output = new RawProto().Tag(number, wireType);
        switch (wireType)
        {
            case 0:
                output.Varint(ReadVarint(payload, 0, out _), padding);
                break;
            case 2:
                output.Varint((ulong)payload.Length, padding).Raw(payload);
                break;
            default:
                output.Raw(payload);
                break;
        }

        return output.ToArray();
    }

    private static byte[] Decoy(Field field, Random random)
    {
        var output = new RawProto().Tag(field.Number, field.WireType);
        switch (field.WireType)
        {
            case 0:
                output.Varint((ulong)random.Next(0, 1000));
                break;
            case 1:
                output.Fixed64((ulong)random.NextInt64());
                break;
            case 5:
                output.Fixed32((uint)random.Next());
                break;
            default:
                var decoy = new byte[random.Next(0, 17)];
                random.NextBytes(decoy);
                output.Varint((ulong)decoy.Length).Raw(decoy);
                break;
        }

        return output.ToArray();
    }

    /// <summary>An unknown field: a field number no OTLP message uses, or a known number with a wire type its schema does not have.</summary>
    private static byte[] Unknown(Random random, int nesting)
    {
        var number = random.Next(3) == 0 ? random.Next(1, 17) : random.Next(17, 5000);
        var output = new RawProto();
        switch (random.Next(nesting < 3 ? 5 : 4))
        {
            case 0:
                output.Tag(number, 0).Varint((ulong)random.NextInt64());
                break;
            case 1:
                output.Tag(number, 1).Fixed64((ulong)random.NextInt64());
                break;
            case 2:
                output.Tag(number, 5).Fixed32((uint)random.Next());
                break;
            case 3:
                var bytes = new byte[random.Next(0, 9)];
                random.NextBytes(bytes);
                output.Bytes(number, bytes);
                break;
            default:
                output.Tag(number, 3);
                for (var i = random.Next(0, 3); i > 0; i--)
                {
                    output.Raw(Unknown(random, nesting + 1));
                }

                output.Tag(number, 4);
                break;
        }

        return output.ToArray();
    }

    private static List<byte[]> StableShuffle(List<byte[]> fields, Random random)
    {
        var keyed = fields.Select((bytes, index) => (Bytes: bytes, Number: ReadVarint(bytes, 0, out _) >> 3, Index: index)).ToList();
        var order = keyed.Select(f => f.Number).Distinct().OrderBy(_ => random.Next()).ToList();
        return keyed.OrderBy(f => order.IndexOf(f.Number)).ThenBy(f => f.Index).Select(f => f.Bytes).ToList();
    }

    private static List<Field> Split(ReadOnlySpan<byte> message)
    {
        var fields = new List<Field>();
        var position = 0;
        var bytes = message.ToArray();
        while (position < bytes.Length)
        {
            var tag = ReadVarint(bytes, position, out var length);
            position += length;
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            byte[] payload;
            switch (wireType)
            {
                case 0:
                    ReadVarint(bytes, position, out length);
                    payload = bytes[position..(position + length)];
                    position += length;
                    break;
                case 1:
                    payload = bytes[position..(position + 8)];
                    position += 8;
                    break;
                case 5:
                    payload = bytes[position..(position + 4)];
                    position += 4;
                    break;
                case 2:
                    var size = (int)ReadVarint(bytes, position, out length);
                    position += length;
                    payload = bytes[position..(position + size)];
                    position += size;
                    break;
                default:
                    throw new InvalidOperationException($"the shuffler only takes Google.Protobuf's own output; found wire type {wireType}");
            }

            fields.Add(new Field(number, wireType, payload));
        }

        return fields;
    }

    private static ulong ReadVarint(byte[] bytes, int position, out int length)
    {
        ulong value = 0;
        length = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position + length++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private sealed record Field(int Number, int WireType, byte[] Payload);
}
