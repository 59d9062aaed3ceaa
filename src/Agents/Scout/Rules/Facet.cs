namespace Autopilot.Agents.Scout.Rules;

/// <summary>What a dependency or a line of code tells about a service.</summary>
internal enum Facet : byte
{
    /// <summary>Value: the framework (<see cref="Scout.Framework"/> name).</summary>
    Framework,

    /// <summary>Value: messaging system id (kafka, rabbitmq, sqs, nats, pubsub).</summary>
    Messaging,

    /// <summary>Value: data access id (jdbc, jpa, npgsql, sqlalchemy, …).</summary>
    DataAccess,

    /// <summary>Value: the database (postgres, mysql, mssql, sqlite, oracle, h2).</summary>
    DbSystem,

    /// <summary>An OpenTelemetry SDK (or agent) ships with the service.</summary>
    OtelSdk,

    /// <summary>The dependency sets the SDK up by itself (the OTel Spring Boot starter, Micrometer's OTel bridge under Spring Boot).</summary>
    OtelInit,

    /// <summary>Value: what it propagates context for (see <see cref="Clients"/>). Counts only once the SDK is set up.</summary>
    Propagation,

    /// <summary>An OpenLineage client: the service emits lineage itself.</summary>
    OpenLineage,

    /// <summary>A health endpoint comes with the dependency (Spring Boot Actuator, NestJS Terminus).</summary>
    Health,
}
