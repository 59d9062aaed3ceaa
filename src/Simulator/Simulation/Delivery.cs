using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Simulation;

/// <summary>A message on its way to one consumer group: the producer span's W3C context travels in its headers.</summary>
internal sealed record Delivery(string Topic, TopicConsumer Consumer, Dictionary<string, string> Headers, long At, string MessageId, string OrderId);
