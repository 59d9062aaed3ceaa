namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>Maps attribute keys to <see cref="WellKnownAttribute"/>: the one list both decoders share.</summary>
internal static class WellKnownAttributes
{
    public static WellKnownAttribute Classify(string key) => key switch
    {
        "http.response.status_code" => WellKnownAttribute.HttpResponseStatusCode,
        "http.status_code" => WellKnownAttribute.HttpStatusCode,
        "rpc.grpc.status_code" => WellKnownAttribute.RpcGrpcStatusCode,
        "messaging.system" => WellKnownAttribute.MessagingSystem,
        "messaging.destination.name" => WellKnownAttribute.MessagingDestinationName,
        "messaging.destination" => WellKnownAttribute.MessagingDestination,
        "messaging.operation.type" => WellKnownAttribute.MessagingOperationType,
        "messaging.operation" => WellKnownAttribute.MessagingOperation,
        "messaging.message.id" => WellKnownAttribute.MessagingMessageId,
        "messaging.message.conversation_id" => WellKnownAttribute.MessagingConversationId,
        "db.system.name" => WellKnownAttribute.DbSystemName,
        "db.system" => WellKnownAttribute.DbSystem,
        "db.namespace" => WellKnownAttribute.DbNamespace,
        "db.name" => WellKnownAttribute.DbName,
        "db.collection.name" => WellKnownAttribute.DbCollectionName,
        "db.sql.table" => WellKnownAttribute.DbSqlTable,
        "db.operation.name" => WellKnownAttribute.DbOperationName,
        "db.operation" => WellKnownAttribute.DbOperation,
        "service.name" => WellKnownAttribute.ServiceName,
        "deployment.environment.name" => WellKnownAttribute.DeploymentEnvironmentName,
        "deployment.environment" => WellKnownAttribute.DeploymentEnvironment,
        "service.namespace" => WellKnownAttribute.ServiceNamespace,
        "service.version" => WellKnownAttribute.ServiceVersion,
        _ => WellKnownAttribute.None,
    };
}
