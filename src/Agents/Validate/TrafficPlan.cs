namespace Autopilot.Agents.Validate;

/// <summary>traffic.yaml: where the service answers, how to tell it is ready, and what to send it.</summary>
/// <param name="BaseUrl">Base URL of the service; <c>${VAR}</c> is filled from the service's environment (e.g. <c>${PORT}</c>).</param>
/// <param name="Readiness">The readiness probe; null to send traffic as soon as the process runs.</param>
/// <param name="Requests">HTTP requests, sent in order.</param>
/// <param name="Kafka">Kafka messages, produced after the HTTP requests; null when the file has no kafka section.</param>
internal sealed record TrafficPlan(string BaseUrl, ReadinessProbe? Readiness, IReadOnlyList<TrafficRequest> Requests, KafkaTraffic? Kafka);
