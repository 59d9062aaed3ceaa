namespace Autopilot.Agents.Validate;

/// <summary>
/// The <c>kafka</c> section of traffic.yaml. It is read and checked, but the messages are not sent: no Kafka
/// broker runs on these machines, so the validator proves trace context across message headers from the
/// producer and consumer spans the service emits (README, "Telemetry Validator").
/// </summary>
internal sealed record KafkaTraffic(string? BootstrapServers, int Messages, IReadOnlyList<string> Topics);
