namespace Autopilot.Agents.Validate;

/// <summary>The <c>kafka</c> section of traffic.yaml: messages the validator produces after the HTTP requests.</summary>
/// <param name="BootstrapServers">Broker list (<c>host:port,…</c>); <c>${VAR}</c> is filled from the service's environment.</param>
/// <param name="Timeout">How long each message may take to be delivered (librdkafka's <c>message.timeout.ms</c>).</param>
/// <param name="Traceparent">Whether the validator adds a W3C <c>traceparent</c> of its own to each message and checks that a consumer span continues it.</param>
/// <param name="Messages">The messages, in order.</param>
internal sealed record KafkaTraffic(string BootstrapServers, TimeSpan Timeout, bool Traceparent, IReadOnlyList<KafkaMessage> Messages)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    public int Count => Messages.Sum(m => m.Repeat);

    public IReadOnlyList<string> Topics => Messages.Select(m => m.Topic).Distinct(StringComparer.Ordinal).ToList();
}
