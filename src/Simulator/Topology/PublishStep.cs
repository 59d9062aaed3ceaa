namespace Autopilot.Simulator.Topology;

/// <summary>Publishes one message to the Kafka topic <paramref name="Topic"/> (a producer span; the consumers get the W3C context in the message headers).</summary>
public sealed record PublishStep(string Topic) : StepSpec;
