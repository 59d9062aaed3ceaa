// Hosts librdkafka's mock cluster for tests: `dotnet Autopilot.KafkaMockCluster.dll [topic…]` creates each topic
// (by asking for its metadata), prints "bootstrap=<host:port,…>" and keeps the brokers up until stdin closes.
using Autopilot.KafkaMockCluster;
using Confluent.Kafka;

KafkaNative.Load();

// The mock cluster lives as long as the client that created it; its bootstrap.servers value is ignored.
var config = new ProducerConfig { BootstrapServers = "mock:9092" };
config.Set("test.mock.num.brokers", "3");
using var host = new ProducerBuilder<Null, Null>(config)
    .SetLogHandler((_, _) => { })
    .Build();
using var admin = new DependentAdminClientBuilder(host.Handle).Build();
var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
var bootstrap = string.Join(",", metadata.Brokers.Select(b => $"{b.Host}:{b.Port}"));

// librdkafka 2.0.2's mock brokers do not answer CreateTopics; they create a topic (4 partitions) when a
// producer asks for its metadata, so consumers that subscribe next find it.
foreach (var topic in args)
{
    var found = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
    if (found.Topics.Count != 1 || found.Topics[0].Error.IsError || found.Topics[0].Partitions.Count == 0)
    {
        Console.Error.WriteLine($"topic {topic} was not created: {found.Topics.FirstOrDefault()?.Error.Reason ?? "no metadata"}");
        return 1;
    }
}

Console.WriteLine($"bootstrap={bootstrap}");
Console.Out.Flush();

// Runs until the test closes stdin (or kills the process).
await Console.In.ReadToEndAsync();
return 0;
