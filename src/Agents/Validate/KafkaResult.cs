namespace Autopilot.Agents.Validate;

/// <summary>What producing traffic.yaml's Kafka messages gave.</summary>
/// <param name="BootstrapServers">The broker list as used (variables filled in).</param>
/// <param name="Sent">Messages handed to the producer.</param>
/// <param name="Delivered">Messages the broker acknowledged.</param>
/// <param name="Failures">Per topic and reason, what was not delivered; or why nothing could be sent.</param>
internal sealed record KafkaResult(string BootstrapServers, int Sent, IReadOnlyList<KafkaDelivery> Delivered, IReadOnlyList<string> Failures)
{
    public int Failed => Sent - Delivered.Count;
}
