using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// Binary OTLP straight to canonical signals: walks the protobuf bytes of an <c>ExportTraceServiceRequest</c> or
/// <c>ExportLogsServiceRequest</c> once, with no intermediate object graph, and produces exactly the signals
/// <see cref="OtlpProtobufDecoder"/> + <see cref="OtlpNormalizer"/> produce (same URNs, names, values, statuses,
/// attributes, per-item rejections), refusing exactly the inputs Google.Protobuf refuses. Strings are made only for
/// values that end up in a signal, and keys, names and repeated values come from bounded intern tables looked up
/// by their UTF-8 bytes. The options' redactor is applied as values are read, with what the reader already knows: a
/// value equal to the previous item's at its position was judged then, a key's rule is asked once per key table entry,
/// and the facts URNs and statuses are derived from are the values as sent (as on the object-graph path, which redacts
/// the finished signals). Thread-safe: per-request state is local.
/// </summary>
internal sealed class OtlpWireNormalizer
{
    // Field tags (field number << 3 | wire type), as the generated parsers switch on them.
    private const uint Field1Len = (1 << 3) | 2;
    private const uint Field2Len = (2 << 3) | 2;
    private const uint Field3Len = (3 << 3) | 2;
    private const uint SpanTraceId = Field1Len;
    private const uint SpanSpanId = Field2Len;
    private const uint SpanParentId = (4 << 3) | 2;
    private const uint SpanName = (5 << 3) | 2;
    private const uint SpanKind = (6 << 3) | 0;
    private const uint SpanStart = (7 << 3) | 1;
    private const uint SpanEnd = (8 << 3) | 1;
    private const uint SpanAttribute = (9 << 3) | 2;
    private const uint SpanEvent = (11 << 3) | 2;
    private const uint SpanLink = (13 << 3) | 2;
    private const uint SpanStatus = (15 << 3) | 2;
    private const uint EventAttribute = Field3Len;
    private const uint LinkAttribute = (4 << 3) | 2;
    private const uint StatusMessage = Field2Len;
    private const uint StatusCode = (3 << 3) | 0;
    private const uint LogTime = (1 << 3) | 1;
    private const uint LogObservedTime = (11 << 3) | 1;
    private const uint LogSeverityNumber = (2 << 3) | 0;
    private const uint LogSeverityText = Field3Len;
    private const uint LogBody = (5 << 3) | 2;
    private const uint LogAttribute = (6 << 3) | 2;
    private const uint LogTraceId = (9 << 3) | 2;
    private const uint LogSpanId = (10 << 3) | 2;
    private const uint LogEventName = (12 << 3) | 2;

    /// <summary>Integers below this are rendered once per process (<see cref="s_smallIntegers"/>).</summary>
    private const int SmallIntegers = 1024;

    private const string ServiceVersionKey = "service.version";
    private const string ScopeNameKey = "otel.scope.name";

    // The text of 0 .. SmallIntegers - 1, made when first needed; a race makes an equal string twice.
    private static readonly string?[] s_smallIntegers = new string?[SmallIntegers];

    private readonly AttributeKeyTable _keys;
    private readonly Utf8Interner _values;
    private readonly Utf8Interner _names;
    private readonly KeyArrayCache _keyArrays;
    private readonly RecordUrnCache _recordUrns;
    private readonly StringInterner _urns;
    private readonly UrnAliases _aliases;

    // Null when no rule is active, so the reader does no redaction work at all.
    private readonly Redactor? _redactor;

    // Log bodies go through the value table under a key of their own, so bodies that never repeat are decoded directly.
    private readonly AttributeKey _bodyKey = new(string.Empty, WellKnownAttribute.None, 0, []);

    public OtlpWireNormalizer(OtlpNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _keys = new AttributeKeyTable(options.InternerCapacity, options.MaxInternedLength);
        _values = new Utf8Interner(options.InternerCapacity, options.MaxInternedLength);
        _names = new Utf8Interner(options.InternerCapacity, options.MaxInternedLength);
        _keyArrays = new KeyArrayCache(1024);
        _recordUrns = new RecordUrnCache(256, options.Aliases);
        // As many slots as the other tables: the engines' caches find a URN's state by the identity of its string, so a
        // service's URN should stay one instance while it sends; 256 slots made 1,000 services evict each other's.
        _urns = new StringInterner(options.InternerCapacity, int.MaxValue);
        _aliases = options.Aliases;
        _redactor = options.Redactor.Enabled ? options.Redactor : null;
    }

    /// <summary>Appends the signals of one binary <c>ExportTraceServiceRequest</c> to <paramref name="output"/>.</summary>
    /// <exception cref="OtlpFormatException">Not valid protobuf; nothing was appended.</exception>
    public OtlpNormalizeResult NormalizeTraces(ReadOnlySpan<byte> payload, List<Signal> output) => Normalize(payload, output, logs: false);

    /// <summary>Appends the signals of one binary <c>ExportLogsServiceRequest</c> to <paramref name="output"/>.</summary>
    /// <exception cref="OtlpFormatException">Not valid protobuf; nothing was appended.</exception>
    public OtlpNormalizeResult NormalizeLogs(ReadOnlySpan<byte> payload, List<Signal> output) => Normalize(payload, output, logs: true);

    // ExportTraceServiceRequest and ExportLogsServiceRequest have the same shape down to the item:
    // request { resource_* = 1 } → Resource*{ resource = 1, scope_* = 2 } → Scope*{ scope = 1, items = 2 }.
    private OtlpNormalizeResult Normalize(ReadOnlySpan<byte> payload, List<Signal> output, bool logs)
    {
        ArgumentNullException.ThrowIfNull(output);
        var start = output.Count;

        // Counting the items first costs a cache miss per item (the walk jumps from item to item through bytes not read
        // yet), so it is paid only when the list looks short of room; a list kept across requests (PreparedRequest's)
        // mostly has it, and when it has not, it grows once and keeps the room.
        if (output.Capacity - start < payload.Length / 1024)
        {
            output.EnsureCapacity(start + ExpectedSignals(payload));
        }

        var request = new WireRequest(new WireAttributeBuilder(_keyArrays), output, logs);
        try
        {
            var reader = new ProtoReader(payload, 0);
            uint tag;
            while ((tag = reader.ReadTag()) != 0)
            {
                if (tag == Field1Len)
                {
                    var container = reader.ReadMessage(0);
                    ReadResourceContainer(ref container, request);
                    request.Resource++;
                }
                else
                {
                    reader.SkipField(tag, 0);
                }
            }
        }
        catch (WireFormatException e)
        {
            output.RemoveRange(start, output.Count - start);
            throw new OtlpFormatException(
                string.Create(CultureInfo.InvariantCulture, $"{(logs ? "logs" : "traces")} request is not valid protobuf: {request.Path()}: {e.Message} (at byte {e.Offset})"),
                e);
        }

        return request.Tally.Result;
    }

    /// <summary>
    /// Signals a request will probably produce: its items (spans or log records, counted by skipping over them) plus a
    /// quarter for the records of messaging and database spans, so the output grows once instead of doubling a dozen times (a 1000-span request's
    /// signals are a large-object-heap array either way). Bounded by the payload size, so padding a request with empty
    /// spans cannot make it reserve more than about its own size; malformed input stops the count (the parse reports it).
    /// </summary>
    private static int ExpectedSignals(ReadOnlySpan<byte> payload)
    {
        var spans = 0;
        try
        {
            var request = new ProtoReader(payload, 0);
            uint tag;
            while ((tag = request.ReadTag()) != 0)
            {
                if (tag != Field1Len)
                {
                    request.SkipField(tag, 0);
                    continue;
                }

                var resourceContainer = request.ReadMessage(0);
                while ((tag = resourceContainer.ReadTag()) != 0)
                {
                    if (tag != Field2Len)
                    {
                        resourceContainer.SkipField(tag, 1);
                        continue;
                    }

                    var scopeContainer = resourceContainer.ReadMessage(1);
                    while ((tag = scopeContainer.ReadTag()) != 0)
                    {
                        spans += tag == Field2Len ? 1 : 0;
                        scopeContainer.SkipField(tag, 2);
                    }
                }
            }
        }
        catch (WireFormatException)
        {
        }

        return Math.Min(spans + (spans / 4), payload.Length / 24);
    }

    // ResourceSpans / ResourceLogs (level 1): resource = 1, scope_* = 2, schema_url = 3. The resource may follow the
    // scopes on the wire (and may occur more than once, merged), so it is resolved in a first pass.
    private void ReadResourceContainer(ref ProtoReader reader, WireRequest request)
    {
        request.Scope = -1;
        request.Item = -1;
        var scan = reader;
        var resource = new ResourceFields();
        uint tag;
        while ((tag = scan.ReadTag()) != 0)
        {
            if (tag == Field1Len)
            {
                var message = scan.ReadMessage(1);
                ReadResource(ref message, 2, ref resource, request.Builder);
            }
            else
            {
                scan.SkipField(tag, 1);
            }
        }

        var info = Resolve(resource);
        request.Scope = 0;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == Field2Len)
            {
                var scopeContainer = reader.ReadMessage(1);
                ReadScopeContainer(ref scopeContainer, info, request);
                request.Scope++;
            }
            else
            {
                reader.SkipField(tag, 1);
            }
        }
    }

    // Resource: attributes = 1 (KeyValue), dropped_attributes_count = 2, entity_refs = 3 (EntityRef: strings only).
    private void ReadResource(ref ProtoReader reader, int depth, ref ResourceFields resource, WireAttributeBuilder builder)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == Field1Len)
            {
                var keyValue = reader.ReadMessage(depth);
                ReadResourceAttribute(ref keyValue, depth + 1, ref resource, builder);
            }
            else if (tag == Field3Len)
            {
                var entityRef = reader.ReadMessage(depth);
                entityRef.SkipMessage(depth + 1);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }

    private void ReadResourceAttribute(ref ProtoReader reader, int depth, ref ResourceFields resource, WireAttributeBuilder builder)
    {
        var bytes = reader.Data;
        ReadOnlySpan<byte> key = default;
        var value = default(WireValue);
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == WireAnyValue.Field1Tag)
            {
                key = reader.ReadBytes();
            }
            else if (tag == WireAnyValue.ValueTag)
            {
                var anyValue = reader.ReadMessage(depth);
                WireAnyValue.Read(ref anyValue, depth + 1, ref value);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }

        var attributeKey = _keys.Get(key);
        switch (attributeKey.Id)
        {
            case WellKnownAttribute.ServiceName:
                resource.ServiceName = Render(ref value, bytes, attributeKey, builder);
                break;
            case WellKnownAttribute.DeploymentEnvironmentName:
                resource.EnvironmentName = Render(ref value, bytes, attributeKey, builder);
                break;
            case WellKnownAttribute.DeploymentEnvironment:
                resource.Environment = Render(ref value, bytes, attributeKey, builder);
                break;
            case WellKnownAttribute.ServiceNamespace:
                resource.Namespace = Render(ref value, bytes, attributeKey, builder);
                break;
            case WellKnownAttribute.ServiceVersion:
                resource.Version = Render(ref value, bytes, attributeKey, builder);
                break;
        }
    }

    private ResourceInfo Resolve(in ResourceFields resource)
    {
        var environment = NonEmpty(resource.EnvironmentName) ?? NonEmpty(resource.Environment) ?? NonEmpty(resource.Namespace);
        var urn = _urns.Intern(_aliases.Resolve(OtlpUrns.Service(resource.ServiceName, environment)));
        var redacted = false;
        var version = string.IsNullOrEmpty(resource.Version) ? null : Redact(ServiceVersionKey, resource.Version, ref redacted);
        return new ResourceInfo(urn, version, redacted);
    }

    // ScopeSpans / ScopeLogs (level 2): scope = 1, spans / log_records = 2, schema_url = 3; the scope's name is needed
    // before the items.
    private void ReadScopeContainer(ref ProtoReader reader, in ResourceInfo resource, WireRequest request)
    {
        request.Item = -1;
        var scan = reader;
        ReadOnlySpan<byte> scopeName = default;
        uint tag;
        while ((tag = scan.ReadTag()) != 0)
        {
            if (tag == Field1Len)
            {
                var scope = scan.ReadMessage(2);
                ReadScope(ref scope, 3, ref scopeName);
            }
            else
            {
                scan.SkipField(tag, 2);
            }
        }

        var redacted = false;
        var scopeInfo = new ScopeInfo(resource, Redact(ScopeNameKey, _names.Intern(scopeName), ref redacted), redacted);
        request.Item = 0;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == Field2Len)
            {
                var item = reader.ReadMessage(2);
                if (request.Logs)
                {
                    ReadLogRecord(ref item, scopeInfo, request);
                }
                else
                {
                    ReadSpan(ref item, scopeInfo, request);
                }

                request.Item++;
            }
            else
            {
                reader.SkipField(tag, 2);
            }
        }
    }

    // InstrumentationScope: name = 1, version = 2, attributes = 3, dropped_attributes_count = 4.
    private static void ReadScope(ref ProtoReader reader, int depth, ref ReadOnlySpan<byte> name)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == Field1Len)
            {
                name = reader.ReadBytes();
            }
            else if (tag == Field3Len)
            {
                var keyValue = reader.ReadMessage(depth);
                WireAnyValue.ValidateKeyValue(ref keyValue, depth + 1);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }

    // Span (level 3). Attributes are rendered as they come; the span is emitted, or rejected, at its end.
    private void ReadSpan(ref ProtoReader reader, in ScopeInfo scope, WireRequest request)
    {
        const int depth = 3;
        var builder = request.Builder;
        builder.Reset();
        ReadOnlySpan<byte> traceId = default, spanId = default, parentId = default, name = default, statusMessage = default;
        ulong start = 0, end = 0;
        int kind = 0, statusCode = 0;
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            switch (tag)
            {
                case SpanAttribute:
                    var keyValue = reader.ReadMessage(depth);
                    ReadAttribute(ref keyValue, depth + 1, builder);
                    break;
                case SpanTraceId:
                    traceId = reader.ReadBytes();
                    break;
                case SpanSpanId:
                    spanId = reader.ReadBytes();
                    break;
                case SpanParentId:
                    parentId = reader.ReadBytes();
                    break;
                case SpanName:
                    name = reader.ReadBytes();
                    break;
                case SpanKind:
                    kind = (int)(uint)reader.ReadVarint();
                    break;
                case SpanStart:
                    start = reader.ReadFixed64();
                    break;
                case SpanEnd:
                    end = reader.ReadFixed64();
                    break;
                case SpanStatus:
                    var status = reader.ReadMessage(depth);
                    ReadStatus(ref status, depth + 1, ref statusCode, ref statusMessage);
                    break;
                case SpanEvent:
                    var spanEvent = reader.ReadMessage(depth);
                    ValidateWithAttributes(ref spanEvent, depth + 1, EventAttribute);
                    break;
                case SpanLink:
                    var link = reader.ReadMessage(depth);
                    ValidateWithAttributes(ref link, depth + 1, LinkAttribute);
                    break;
                default:
                    reader.SkipField(tag, depth);
                    break;
            }
        }

        if (Validate(traceId, spanId) is { } problem)
        {
            request.Tally.Reject(problem, "span", request.Resource, request.Scope, request.Item);
            return;
        }

        EmitSpan(request, scope, traceId, spanId, parentId, name, start, end, kind, statusCode, statusMessage);
        request.Tally.Accepted++;
    }

    // Status: message = 2, code = 3 (field 1 is reserved). Every occurrence merges into the last.
    private static void ReadStatus(ref ProtoReader reader, int depth, ref int code, ref ReadOnlySpan<byte> message)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == StatusMessage)
            {
                message = reader.ReadBytes();
            }
            else if (tag == StatusCode)
            {
                code = (int)(uint)reader.ReadVarint();
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }

    // Span.Event (attributes = 3) and Span.Link (attributes = 4): not turned into signals, but still validated.
    private static void ValidateWithAttributes(ref ProtoReader reader, int depth, uint attributeTag)
    {
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == attributeTag)
            {
                var keyValue = reader.ReadMessage(depth);
                WireAnyValue.ValidateKeyValue(ref keyValue, depth + 1);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }
    }

    private static string? Validate(ReadOnlySpan<byte> traceId, ReadOnlySpan<byte> spanId)
    {
        if (traceId.Length != 16)
        {
            return string.Create(CultureInfo.InvariantCulture, $"trace id has {traceId.Length} bytes, expected 16");
        }

        if (spanId.Length != 8)
        {
            return string.Create(CultureInfo.InvariantCulture, $"span id has {spanId.Length} bytes, expected 8");
        }

        if (BinaryPrimitives.ReadUInt64BigEndian(traceId) == 0 && BinaryPrimitives.ReadUInt64BigEndian(traceId[8..]) == 0)
        {
            return "trace id is all zeros, which W3C trace context defines as invalid";
        }

        return BinaryPrimitives.ReadUInt64BigEndian(spanId) == 0
            ? "span id is all zeros, which W3C trace context defines as invalid"
            : null;
    }

    private void EmitSpan(
        WireRequest request,
        in ScopeInfo scope,
        ReadOnlySpan<byte> traceIdBytes,
        ReadOnlySpan<byte> spanIdBytes,
        ReadOnlySpan<byte> parentId,
        ReadOnlySpan<byte> nameBytes,
        ulong startNanos,
        ulong endNanos,
        int kindValue,
        int statusCode,
        ReadOnlySpan<byte> statusMessage)
    {
        var builder = request.Builder;
        var output = request.Output;
        var resource = scope.Resource;
        TraceId.TryFromBytes(traceIdBytes, out var traceId);
        var spanId = BinaryPrimitives.ReadUInt64BigEndian(spanIdBytes);
        var start = OtlpNormalizer.ToLong(startNanos);
        var durationMs = endNanos > startNanos ? (endNanos - startNanos) / OtlpNormalizer.NanosPerMilli : 0d;
        var status = statusCode switch
        {
            (int)Status.Types.StatusCode.Error => SignalStatus.Error,
            (int)Status.Types.StatusCode.Ok => SignalStatus.Ok,
            _ => SignalStatus.Unset,
        };
        var kind = (Span.Types.SpanKind)kindValue;
        var kindText = OtlpNormalizer.SpanKindText(kind);

        var facts = builder.Facts;
        Add(builder, "span.kind", kindText);
        if (parentId.Length == 8)
        {
            Add(builder, Redactor.ParentIdKey, Convert.ToHexStringLower(parentId), shared: false);
        }

        if (statusMessage.Length != 0)
        {
            Add(builder, "status.message", _values.Intern(statusMessage));
        }

        AddResourceAndScope(builder, resource, scope);
        var rawName = _names.Intern(nameBytes);
        var name = RedactName(builder, rawName);
        var correlationId = facts.CorrelationId;
        output.Add(new Signal(SignalKind.Span, resource.ServiceUrn, start, traceId, spanId, correlationId, name, durationMs, status, facts.StatusCode, builder.Build()));
        request.Tally.Redacted += builder.Redacted ? 1 : 0;

        // The records' URNs and attributes come from the facts as sent; their attributes are redacted as the span's are.
        if (facts.TopicSystem is { } system && facts.TopicName is { } destination)
        {
            builder.Reset();
            Add(builder, "service", resource.ServiceUrn);
            Add(builder, "span.kind", kindText);
            Add(builder, "messaging.system", system);
            Add(builder, "messaging.destination.name", destination);
            var operation = RedactName(builder, facts.MessagingOperationName ?? OtlpNormalizer.MessagingOperationFromKind(kind));
            output.Add(new Signal(SignalKind.Record, _recordUrns.Topic(system, destination), start, traceId, spanId, correlationId, operation, 1, status, 0, builder.Build()));
            request.Tally.Redacted += builder.Redacted ? 1 : 0;
        }

        if (facts.DatabaseSystem is { } dbSystem && facts.DatabaseTable is { } table)
        {
            var dbNamespace = facts.DatabaseNamespace;
            builder.Reset();
            Add(builder, "service", resource.ServiceUrn);
            Add(builder, "span.kind", kindText);
            Add(builder, "db.system", dbSystem);
            if (dbNamespace is not null)
            {
                Add(builder, "db.namespace", dbNamespace);
            }

            Add(builder, "db.collection.name", table);
            var operation = RedactName(builder, facts.DatabaseOperation ?? rawName);
            output.Add(new Signal(SignalKind.Record, _recordUrns.Dataset(dbSystem, dbNamespace, table), start, traceId, spanId, correlationId, operation, 1, status, 0, builder.Build()));
            request.Tally.Redacted += builder.Redacted ? 1 : 0;
        }
    }

    // LogRecord (level 3). Attributes are rendered as they come; the record is emitted, or rejected, at its end.
    private void ReadLogRecord(ref ProtoReader reader, in ScopeInfo scope, WireRequest request)
    {
        const int depth = 3;
        var builder = request.Builder;
        builder.Reset();
        var bytes = reader.Data;
        ReadOnlySpan<byte> traceId = default, spanId = default, severityText = default, eventName = default;
        ulong time = 0, observedTime = 0;
        var severity = 0;
        var body = default(WireValue);
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            switch (tag)
            {
                case LogAttribute:
                    var keyValue = reader.ReadMessage(depth);
                    ReadAttribute(ref keyValue, depth + 1, builder);
                    break;
                case LogBody:
                    var value = reader.ReadMessage(depth);
                    WireAnyValue.Read(ref value, depth + 1, ref body);
                    break;
                case LogTime:
                    time = reader.ReadFixed64();
                    break;
                case LogObservedTime:
                    observedTime = reader.ReadFixed64();
                    break;
                case LogSeverityNumber:
                    severity = (int)(uint)reader.ReadVarint();
                    break;
                case LogSeverityText:
                    severityText = reader.ReadBytes();
                    break;
                case LogTraceId:
                    traceId = reader.ReadBytes();
                    break;
                case LogSpanId:
                    spanId = reader.ReadBytes();
                    break;
                case LogEventName:
                    eventName = reader.ReadBytes();
                    break;
                default:
                    reader.SkipField(tag, depth);
                    break;
            }
        }

        if (traceId.Length is not (0 or 16))
        {
            request.Tally.Reject(string.Create(CultureInfo.InvariantCulture, $"trace id has {traceId.Length} bytes, expected 16 or none"), "log record", request.Resource, request.Scope, request.Item);
            return;
        }

        if (spanId.Length is not (0 or 8))
        {
            request.Tally.Reject(string.Create(CultureInfo.InvariantCulture, $"span id has {spanId.Length} bytes, expected 8 or none"), "log record", request.Resource, request.Scope, request.Item);
            return;
        }

        TraceId.TryFromBytes(traceId, out var trace);
        var span = spanId.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(spanId) : 0UL;
        var facts = builder.Facts;
        if (severityText.Length != 0)
        {
            Add(builder, "severity.text", _names.Intern(severityText));
        }

        if (eventName.Length != 0)
        {
            Add(builder, "event.name", _names.Intern(eventName));
        }

        AddResourceAndScope(builder, scope.Resource, scope);

        // A structured body (array or map) is rendered as JSON by the object-graph path's renderer, from every occurrence
        // of the body field merged as protobuf merges them.
        var name = RedactName(builder, RenderPrimitive(ref body, _bodyKey, builder) ?? AnyValueText.Render(AnyValue.Parser.ParseFrom(Occurrences(bytes, LogBody))));
        var status = severity >= (int)Proto.Logs.V1.SeverityNumber.Error ? SignalStatus.Error : SignalStatus.Unset;
        request.Output.Add(new Signal(
            SignalKind.Log, scope.Resource.ServiceUrn, OtlpNormalizer.ToLong(time != 0 ? time : observedTime), trace, span, facts.CorrelationId, name, 1, status, severity, builder.Build()));
        request.Tally.Accepted++;
        request.Tally.Redacted += builder.Redacted ? 1 : 0;
    }

    /// <summary>The payloads of every occurrence of a length-delimited field of an already validated message, concatenated.</summary>
    private static byte[] Occurrences(ReadOnlySpan<byte> message, uint fieldTag)
    {
        var output = new ArrayBufferWriter<byte>();
        var reader = new ProtoReader(message, 0);
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == fieldTag)
            {
                output.Write(reader.ReadBytes());
            }
            else
            {
                reader.SkipField(tag, 0);
            }
        }

        return output.WrittenSpan.ToArray();
    }

    // KeyValue: key = 1, value = 2 (AnyValue; occurrences merge). Renders the value and notes the well-known keys.
    private void ReadAttribute(ref ProtoReader reader, int depth, WireAttributeBuilder builder)
    {
        var bytes = reader.Data;
        ReadOnlySpan<byte> keyBytes = default;
        var value = default(WireValue);
        uint tag;
        while ((tag = reader.ReadTag()) != 0)
        {
            if (tag == WireAnyValue.Field1Tag)
            {
                keyBytes = reader.ReadBytes();
            }
            else if (tag == WireAnyValue.ValueTag)
            {
                var anyValue = reader.ReadMessage(depth);
                WireAnyValue.Read(ref anyValue, depth + 1, ref value);
            }
            else
            {
                reader.SkipField(tag, depth);
            }
        }

        var key = builder.RecallKey(keyBytes) ?? builder.RememberKey(_keys.Get(keyBytes));
        var recalled = builder.RecallValue(ref value, out var clean);
        var rendered = recalled ?? Render(ref value, bytes, key, builder);
        var stored = rendered;
        if (_redactor is not null)
        {
            var keyRule = key.KeyRule(_redactor);
            if (keyRule >= 0)
            {
                // A secret's key: the value is replaced whole, and value rules were not asked about it.
                stored = _redactor.ReplaceForKey(keyRule, rendered);
                clean = recalled is not null && clean;
            }
            else if (!clean && !key.Rendered)
            {
                // Asked again when the value was replaced before, so every occurrence is counted as redacted. A string made
                // for this value alone (a key whose values rarely repeat, a long value) is not remembered by identity.
                stored = key.RarelyRepeats || value.Bytes.Length > _values.MaxBytes ? _redactor.RedactUnshared(rendered) : _redactor.Redact(rendered);
                clean = ReferenceEquals(stored, rendered);
            }

            builder.Redacted |= !ReferenceEquals(stored, rendered);
        }

        if (recalled is null && !key.RarelyRepeats)
        {
            // A key whose values rarely repeat would only push the position's repeating values out.
            builder.RememberValue(ref value, rendered, clean);
        }

        builder.Add(key.Text, stored);
        if (key.Id != WellKnownAttribute.None)
        {
            // Facts (status code, topic, table, ids) are what was sent: URNs and statuses do not depend on redaction.
            builder.Facts.Note(key.Id, rendered, Number(ref value, rendered));
        }
    }

    /// <summary>Adds an attribute the reader derives (not read as an attribute), redacted as a read one would be.</summary>
    private void Add(WireAttributeBuilder builder, string key, string value, bool shared = true) =>
        builder.Add(key, Redact(key, value, ref builder.Redacted, shared));

    /// <summary>
    /// <paramref name="value"/> as an attribute named <paramref name="key"/> keeps it; sets <paramref name="redacted"/>
    /// when that is not <paramref name="value"/> itself. <paramref name="shared"/> false: a string made for this item
    /// alone, not worth remembering by identity.
    /// </summary>
    private string Redact(string key, string value, ref bool redacted, bool shared = true)
    {
        if (_redactor is null)
        {
            return value;
        }

        var stored = _redactor.RedactAttribute(key, value, shared);
        redacted |= !ReferenceEquals(stored, value);
        return stored;
    }

    /// <summary>A signal's name (span name, operation, log body) with value rules applied; notes in the builder when it changed.</summary>
    private string RedactName(WireAttributeBuilder builder, string name)
    {
        if (_redactor is null)
        {
            return name;
        }

        var redacted = _redactor.Redact(name);
        builder.Redacted |= !ReferenceEquals(redacted, name);
        return redacted;
    }

    /// <summary>The attribute text <see cref="AnyValueText.Render"/> gives, without building the AnyValue.</summary>
    private string Render(ref WireValue value, ReadOnlySpan<byte> keyValueBytes, AttributeKey key, WireAttributeBuilder builder) =>
        RenderPrimitive(ref value, key, builder)

        // Arrays and maps are rare in telemetry and rendered as JSON: parse just this KeyValue (already validated, so it
        // cannot fail) and render it the way the object-graph path does, merge rules of repeated values included.
        ?? AnyValueText.Render(KeyValue.Parser.ParseFrom(keyValueBytes).Value);

    /// <summary>The text of a primitive value (or of none); null for arrays and key-value lists.</summary>
    private string? RenderPrimitive(ref WireValue value, AttributeKey key, WireAttributeBuilder builder)
    {
        switch (value.Case)
        {
            case WireValueCase.String:
                return key.Value(_values, value.Bytes, ref builder.Sampler);
            case WireValueCase.Bool:
                return value.Bits != 0 ? "true" : "false";
            case WireValueCase.Int:
                return FormatInteger((long)value.Bits, key, builder);
            case WireValueCase.Double:
                return FormatReal(BitConverter.UInt64BitsToDouble(value.Bits), key, builder);
            case WireValueCase.Bytes:
                return Convert.ToBase64String(value.Bytes);
            case WireValueCase.Array or WireValueCase.KeyValueList:
                return null;
            default:
                return string.Empty;
        }
    }

    [SkipLocalsInit]
    private string FormatInteger(long value, AttributeKey key, WireAttributeBuilder builder)
    {
        if ((ulong)value < SmallIntegers)
        {
            // Counts, status codes and small ids: one shared string per number, neither formatted nor looked up again.
            return s_smallIntegers[value] ??= value.ToString(CultureInfo.InvariantCulture);
        }

        Span<byte> digits = stackalloc byte[24];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        return key.Value(_values, digits[..written], ref builder.Sampler);
    }

    [SkipLocalsInit]
    private string FormatReal(double value, AttributeKey key, WireAttributeBuilder builder)
    {
        // "R" (shortest round-trip) is at most 24 characters, e.g. -1.7976931348623157E+308.
        Span<byte> digits = stackalloc byte[32];
        value.TryFormat(digits, out var written, "R", CultureInfo.InvariantCulture);
        return key.Value(_values, digits[..written], ref builder.Sampler);
    }

    private static AttributeNumber Number(ref WireValue value, string rendered) => value.Case switch
    {
        WireValueCase.Int => AttributeNumber.FromInteger((long)value.Bits),
        WireValueCase.Double => AttributeNumber.FromReal(BitConverter.UInt64BitsToDouble(value.Bits)),
        WireValueCase.String => AttributeNumber.FromText(rendered),
        _ => default,
    };

    /// <summary>Adds the resource's version and the scope's name, redacted once per resource and scope.</summary>
    private static void AddResourceAndScope(WireAttributeBuilder builder, in ResourceInfo resource, in ScopeInfo scope)
    {
        if (resource.ServiceVersion is not null)
        {
            builder.Add(ServiceVersionKey, resource.ServiceVersion);
            builder.Redacted |= resource.VersionRedacted;
        }

        if (scope.Name.Length != 0)
        {
            builder.Add(ScopeNameKey, scope.Name);
            builder.Redacted |= scope.NameRedacted;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <param name="ServiceUrn">The service's URN (from the values as sent).</param>
    /// <param name="ServiceVersion">Redacted; null when the resource has none.</param>
    /// <param name="VersionRedacted">Whether redaction changed the version.</param>
    private readonly record struct ResourceInfo(string ServiceUrn, string? ServiceVersion, bool VersionRedacted);

    /// <param name="Resource">The scope's resource.</param>
    /// <param name="Name">The scope's name, redacted.</param>
    /// <param name="NameRedacted">Whether redaction changed the name.</param>
    private readonly record struct ScopeInfo(ResourceInfo Resource, string Name, bool NameRedacted);

    /// <summary>The resource attributes URNs are made of; the last occurrence of each key wins.</summary>
    private struct ResourceFields
    {
        public string? ServiceName;
        public string? EnvironmentName;
        public string? Environment;
        public string? Namespace;
        public string? Version;
    }

    /// <summary>Per-request state: the output, the attribute scratch, the tally and where the reader is.</summary>
    private sealed class WireRequest(WireAttributeBuilder builder, List<Signal> output, bool logs)
    {
        public WireAttributeBuilder Builder { get; } = builder;

        public List<Signal> Output { get; } = output;

        /// <summary>Log records rather than spans.</summary>
        public bool Logs { get; } = logs;

        public ItemTally Tally;

        public int Resource;

        public int Scope = -1;

        public int Item = -1;

        public string Path()
        {
            var (resources, scopes, items) = Logs ? ("resourceLogs", "scopeLogs", "logRecords") : ("resourceSpans", "scopeSpans", "spans");
            return Scope < 0 ? string.Create(CultureInfo.InvariantCulture, $"{resources}[{Resource}]")
                : Item < 0 ? string.Create(CultureInfo.InvariantCulture, $"{resources}[{Resource}].{scopes}[{Scope}]")
                : string.Create(CultureInfo.InvariantCulture, $"{resources}[{Resource}].{scopes}[{Scope}].{items}[{Item}]");
        }
    }
}
