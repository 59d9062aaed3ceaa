namespace Autopilot.Simulator.Topology;

/// <summary>A consumer group of a topic: the service and its consumer operation.</summary>
public sealed record TopicConsumer(string Service, string Operation, string Group);
