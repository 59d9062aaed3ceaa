using System.Text.Json;
using Confluent.Kafka;

namespace Billing.Api;

public sealed class InvoicePublisher : IDisposable
{
    private readonly IProducer<string, string> _producer = new ProducerBuilder<string, string>(
        new ProducerConfig { BootstrapServers = Environment.GetEnvironmentVariable("KAFKA_BROKERS") ?? "kafka:9092" }).Build();

    public Task PublishAsync(long id, NewInvoice invoice) =>
        _producer.ProduceAsync("billing.invoices", new Message<string, string> { Key = id.ToString(), Value = JsonSerializer.Serialize(invoice) });

    public void Dispose() => _producer.Dispose();
}
