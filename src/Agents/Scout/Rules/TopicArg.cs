namespace Autopilot.Agents.Scout.Rules;

/// <summary>Where a messaging call names its topic or queue.</summary>
internal enum TopicArg : byte
{
    None,

    /// <summary>The first argument: <c>kafkaTemplate.send("orders", …)</c>.</summary>
    FirstArg,

    /// <summary>Every string in the first argument: <c>consumer.subscribe(List.of("a", "b"))</c>.</summary>
    FirstArgList,

    /// <summary>A <c>topic</c>/<c>topics</c> key on this line or the next few: <c>producer.send({ topic: 'orders', … })</c>, <c>@KafkaListener(topics = "orders")</c>.</summary>
    TopicKey,

    /// <summary>A <c>queue</c>/<c>queues</c> key: <c>@RabbitListener(queues = "orders")</c>.</summary>
    QueueKey,

    /// <summary>Leading positional arguments up to the first keyword argument: <c>KafkaConsumer("orders", group_id=…)</c>.</summary>
    Positional,
}
