namespace Autopilot.Simulator.Topology;

/// <summary>A Kafka topic and the consumer operations (service, operation name, consumer group) that process every message.</summary>
public sealed record TopicSpec(string Name, IReadOnlyList<TopicConsumer> Consumers);
