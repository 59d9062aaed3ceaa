namespace Autopilot.Agents.Validate;

/// <summary>One message of traffic.yaml's <c>kafka.messages</c>, produced <see cref="Repeat"/> times (UTF-8 key, value and headers).</summary>
/// <param name="Topic">Topic to produce to.</param>
/// <param name="Key">Message key; null for none.</param>
/// <param name="Value">Message value (e.g. a JSON body); null for a tombstone.</param>
/// <param name="Headers">Message headers; a <c>traceparent</c> here replaces the validator's own.</param>
/// <param name="Repeat">How many times to send it.</param>
internal sealed record KafkaMessage(string Topic, string? Key, string? Value, IReadOnlyDictionary<string, string> Headers, int Repeat);
