namespace Autopilot.Agents.Scout;

/// <summary>Kinds of gap. JSON: snake_case, e.g. <c>missing_otel</c>.</summary>
public enum GapType
{
    /// <summary>No OpenTelemetry SDK or agent in the service's dependencies.</summary>
    MissingOtel,

    /// <summary>The SDK is a dependency but nothing sets it up (no tracer provider, no agent, no auto-instrument launcher).</summary>
    MissingOtelInit,

    /// <summary>HTTP or Kafka calls whose trace context is not propagated (no instrumentation library or propagator).</summary>
    MissingCorrelation,

    /// <summary>The service reads or writes datasets but no OpenLineage spec describes it.</summary>
    MissingLineageSpec,

    /// <summary>The service writes a topic or table that no data contract covers.</summary>
    MissingContract,

    /// <summary>No runbook for the service.</summary>
    MissingRunbook,

    /// <summary>A web service with no health or readiness endpoint.</summary>
    MissingHealthEndpoint,

    /// <summary>No <c>service.name</c> (OTEL_SERVICE_NAME / resource attributes) configured, so telemetry would arrive as <c>unknown_service</c>.</summary>
    MissingResourceAttributes,
}
