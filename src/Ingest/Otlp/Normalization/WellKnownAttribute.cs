namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>The attribute keys the normalizer reads (URNs, status codes, correlation ids); everything else is <see cref="None"/>.</summary>
internal enum WellKnownAttribute : byte
{
    None,
    HttpResponseStatusCode,
    HttpStatusCode,
    RpcGrpcStatusCode,
    MessagingSystem,
    MessagingDestinationName,
    MessagingDestination,
    MessagingOperationType,
    MessagingOperation,
    MessagingMessageId,
    MessagingConversationId,
    DbSystemName,
    DbSystem,
    DbNamespace,
    DbName,
    DbCollectionName,
    DbSqlTable,
    DbOperationName,
    DbOperation,
    ServiceName,
    DeploymentEnvironmentName,
    DeploymentEnvironment,
    ServiceNamespace,
    ServiceVersion,
}
