using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Signals;
using Google.Protobuf.Collections;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Collects one signal's attributes (interned keys, rendered values) in lists reused across the items of
/// one request, and notes the attributes the normalizer needs for URNs, status codes and correlation while
/// it copies them, so each attribute is looked at once.
/// </summary>
internal sealed class AttributeBuilder
{
    private readonly List<string> _keys = new(16);
    private readonly List<string> _values = new(16);
    private readonly StringInterner _interner;

    public AttributeBuilder(StringInterner interner) => _interner = interner;

    public AttributeFacts Facts;

    public void Reset()
    {
        _keys.Clear();
        _values.Clear();
        Facts = default;
    }

    public void Add(string internedKey, string value)
    {
        _keys.Add(internedKey);
        _values.Add(value);
    }

    /// <summary>Copies OTLP attributes, noting the well-known ones in <see cref="Facts"/>.</summary>
    public void AddAll(RepeatedField<KeyValue> attributes)
    {
        for (var i = 0; i < attributes.Count; i++)
        {
            var kv = attributes[i];
            var key = _interner.Intern(kv.Key);
            var value = _interner.Intern(AnyValueText.Render(kv.Value));
            _keys.Add(key);
            _values.Add(value);
            Facts.Note(key, value, kv.Value);
        }
    }

    public SignalAttributes Build() =>
        _keys.Count == 0 ? SignalAttributes.Empty : new SignalAttributes(_keys.ToArray(), _values.ToArray());
}

/// <summary>The attributes of one item that drive URNs, status codes and correlation ids.</summary>
internal struct AttributeFacts
{
    public AnyValue? HttpResponseStatusCode;
    public AnyValue? HttpStatusCode;
    public AnyValue? GrpcStatusCode;
    public string? MessagingSystem;
    public string? MessagingDestinationName;
    public string? MessagingDestination;
    public string? MessagingOperationType;
    public string? MessagingOperation;
    public string? MessageId;
    public string? ConversationId;
    public string? DbSystemName;
    public string? DbSystem;
    public string? DbNamespace;
    public string? DbName;
    public string? DbCollectionName;
    public string? DbSqlTable;
    public string? DbOperationName;
    public string? DbOperation;

    public void Note(string key, string rendered, AnyValue? value)
    {
        switch (key)
        {
            case "http.response.status_code":
                HttpResponseStatusCode = value;
                break;
            case "http.status_code":
                HttpStatusCode = value;
                break;
            case "rpc.grpc.status_code":
                GrpcStatusCode = value;
                break;
            case "messaging.system":
                MessagingSystem = rendered;
                break;
            case "messaging.destination.name":
                MessagingDestinationName = rendered;
                break;
            case "messaging.destination":
                MessagingDestination = rendered;
                break;
            case "messaging.operation.type":
                MessagingOperationType = rendered;
                break;
            case "messaging.operation":
                MessagingOperation = rendered;
                break;
            case "messaging.message.id":
                MessageId = rendered;
                break;
            case "messaging.message.conversation_id":
                ConversationId = rendered;
                break;
            case "db.system.name":
                DbSystemName = rendered;
                break;
            case "db.system":
                DbSystem = rendered;
                break;
            case "db.namespace":
                DbNamespace = rendered;
                break;
            case "db.name":
                DbName = rendered;
                break;
            case "db.collection.name":
                DbCollectionName = rendered;
                break;
            case "db.sql.table":
                DbSqlTable = rendered;
                break;
            case "db.operation.name":
                DbOperationName = rendered;
                break;
            case "db.operation":
                DbOperation = rendered;
                break;
        }
    }

    public readonly string? CorrelationId => NonEmpty(MessageId) ?? NonEmpty(ConversationId);

    /// <summary>HTTP status (new, then old semantic conventions), else the gRPC status code; 0 when none.</summary>
    public readonly int StatusCode =>
        AnyValueText.TryGetInt(HttpResponseStatusCode, out var code) || AnyValueText.TryGetInt(HttpStatusCode, out code) || AnyValueText.TryGetInt(GrpcStatusCode, out code)
            ? code
            : 0;

    public readonly string? TopicSystem => NonEmpty(MessagingSystem);

    public readonly string? TopicName => NonEmpty(MessagingDestinationName) ?? NonEmpty(MessagingDestination);

    public readonly string? DatabaseSystem => NonEmpty(DbSystemName) ?? NonEmpty(DbSystem);

    public readonly string? DatabaseNamespace => NonEmpty(DbNamespace) ?? NonEmpty(DbName);

    public readonly string? DatabaseTable => NonEmpty(DbCollectionName) ?? NonEmpty(DbSqlTable);

    public readonly string? DatabaseOperation => NonEmpty(DbOperationName) ?? NonEmpty(DbOperation);

    public readonly string? MessagingOperationName => NonEmpty(MessagingOperationType) ?? NonEmpty(MessagingOperation);

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
