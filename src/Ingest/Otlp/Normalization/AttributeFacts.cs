namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>The attributes of one item that drive URNs, status codes and correlation ids (the last of each key wins).</summary>
internal struct AttributeFacts
{
    public AttributeNumber HttpResponseStatusCode;
    public AttributeNumber HttpStatusCode;
    public AttributeNumber GrpcStatusCode;
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

    /// <summary>Notes one attribute; <paramref name="number"/> is only read for the status-code keys.</summary>
    public void Note(WellKnownAttribute key, string rendered, in AttributeNumber number)
    {
        switch (key)
        {
            case WellKnownAttribute.HttpResponseStatusCode:
                HttpResponseStatusCode = number;
                break;
            case WellKnownAttribute.HttpStatusCode:
                HttpStatusCode = number;
                break;
            case WellKnownAttribute.RpcGrpcStatusCode:
                GrpcStatusCode = number;
                break;
            case WellKnownAttribute.MessagingSystem:
                MessagingSystem = rendered;
                break;
            case WellKnownAttribute.MessagingDestinationName:
                MessagingDestinationName = rendered;
                break;
            case WellKnownAttribute.MessagingDestination:
                MessagingDestination = rendered;
                break;
            case WellKnownAttribute.MessagingOperationType:
                MessagingOperationType = rendered;
                break;
            case WellKnownAttribute.MessagingOperation:
                MessagingOperation = rendered;
                break;
            case WellKnownAttribute.MessagingMessageId:
                MessageId = rendered;
                break;
            case WellKnownAttribute.MessagingConversationId:
                ConversationId = rendered;
                break;
            case WellKnownAttribute.DbSystemName:
                DbSystemName = rendered;
                break;
            case WellKnownAttribute.DbSystem:
                DbSystem = rendered;
                break;
            case WellKnownAttribute.DbNamespace:
                DbNamespace = rendered;
                break;
            case WellKnownAttribute.DbName:
                DbName = rendered;
                break;
            case WellKnownAttribute.DbCollectionName:
                DbCollectionName = rendered;
                break;
            case WellKnownAttribute.DbSqlTable:
                DbSqlTable = rendered;
                break;
            case WellKnownAttribute.DbOperationName:
                DbOperationName = rendered;
                break;
            case WellKnownAttribute.DbOperation:
                DbOperation = rendered;
                break;
        }
    }

    public readonly string? CorrelationId => NonEmpty(MessageId) ?? NonEmpty(ConversationId);

    /// <summary>HTTP status (new, then old semantic conventions), else the gRPC status code; 0 when none.</summary>
    public readonly int StatusCode =>
        HttpResponseStatusCode.TryGetInt(out var code) || HttpStatusCode.TryGetInt(out code) || GrpcStatusCode.TryGetInt(out code)
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
