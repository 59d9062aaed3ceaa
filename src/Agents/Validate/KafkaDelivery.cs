namespace Autopilot.Agents.Validate;

/// <summary>A message the broker acknowledged, with the trace context the validator put in its headers (null when it put none).</summary>
internal sealed record KafkaDelivery(string Topic, int Partition, long Offset, string? TraceId, string? SpanId);
