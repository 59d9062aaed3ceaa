namespace Autopilot.Agents.Scout;

/// <summary>Telemetry a service already has, as far as Scout can see it statically.</summary>
/// <param name="OtelSdk">An OpenTelemetry SDK (or agent) is a dependency.</param>
/// <param name="OtelInitialised">The SDK is set up in code or by the Java agent / <c>opentelemetry-instrument</c> / <c>--require</c> launcher.</param>
/// <param name="Propagation">HTTP and messaging context propagation is in place (instrumentation libraries or explicit propagators).</param>
/// <param name="ServiceNameConfigured"><c>OTEL_SERVICE_NAME</c>, <c>service.name</c> or an equivalent resource attribute is set somewhere.</param>
/// <param name="HealthEndpoint">A health or readiness endpoint is declared.</param>
/// <param name="LineageSpec">An OpenLineage spec covers this service.</param>
/// <param name="Runbook">A runbook covers this service.</param>
public sealed record ObservabilityState(
    bool OtelSdk,
    bool OtelInitialised,
    bool Propagation,
    bool ServiceNameConfigured,
    bool HealthEndpoint,
    bool LineageSpec,
    bool Runbook);
