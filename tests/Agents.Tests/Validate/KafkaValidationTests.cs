using System.Text;
using Autopilot.Agents.Validate;
using Confluent.Kafka;

namespace Autopilot.Agents.Tests.Validate;

/// <summary>
/// The validator producing real Kafka messages: librdkafka's mock cluster (real Kafka-protocol brokers on
/// 127.0.0.1, in a helper process; no Apache Kafka broker runs on these machines) and the Kafka sample service
/// (Confluent.Kafka consumers and producer, OpenTelemetry SDK propagator and OTLP exporter) as a child process.
/// </summary>
public sealed class KafkaValidationTests : IAsyncLifetime, IDisposable
{
    private const string Traffic = """
        baseUrl: http://127.0.0.1:${PORT}
        readiness:
          path: /healthz
          timeout: 60s
        kafka:
          bootstrapServers: ${KAFKA_BOOTSTRAP_SERVERS}
          messages:
            - topic: orders
              key: "42"
              value: '{"sku":"A1","quantity":2}'
              headers: { content-type: application/json }
              repeat: 3
        """;

    private const string Expect = """
        service: orders-worker
        spans:
          - name: process orders
            kind: consumer
            minCount: 3
            attributes: [messaging.system, messaging.destination.name, messaging.operation.type]
            values: { messaging.system: kafka, messaging.destination.name: orders }
          - name: publish shipments
            kind: producer
            minCount: 3
        propagation:
          - name: shipments
            via: message
            from: { service: orders-worker, kind: producer }
            to: { service: shipping, kind: consumer }
            minCount: 3
        """;

    private readonly SampleRun _run = new();
    private KafkaMockCluster? _kafka;

    private KafkaMockCluster Kafka => _kafka ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _kafka = await KafkaMockCluster.StartAsync("orders", "shipments");

    public async Task DisposeAsync()
    {
        if (_kafka is not null)
        {
            await _kafka.DisposeAsync();
        }
    }

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task Run_KafkaConsumerContinuesTheMessageTraceparent_Passes()
    {
        var options = _run.Options(SampleRun.KafkaCommand, Expect, Traffic);
        options.Environment["KAFKA_BOOTSTRAP_SERVERS"] = Kafka.BootstrapServers;

        var outcome = await new ValidationRunner().RunAsync(options);

        Assert.True(outcome.ExitCode == ValidateExitCodes.Pass, outcome.Markdown);
        var report = outcome.Report;
        Assert.Equal(3, report.Traffic.MessagesSent);
        var sent = SampleRun.Check(report, "traffic:kafka");
        Assert.Equal(CheckStatus.Pass, sent.Status);
        Assert.Contains(Kafka.BootstrapServers, sent.Message, StringComparison.Ordinal);

        // The messages really are on the broker, each with the traceparent the validator generated; the consumer
        // spans offered as evidence are the children of exactly those contexts.
        var headers = ReadTraceparents("orders", 3);
        Assert.Equal(3, headers.Select(h => h.TraceId).Distinct().Count());
        var hop = SampleRun.Check(report, "message_headers:kafka orders");
        Assert.True(hop.Status == CheckStatus.Pass, hop.Message);
        Assert.Equal(headers.Select(h => h.TraceId).Order(), hop.Evidence.TraceIds.Order());
        Assert.All(hop.Evidence.SampleSpans, s =>
        {
            Assert.Equal(("orders-worker", "consumer", "process orders"), (s.Service, s.Kind, s.Name));
            Assert.Contains((s.TraceId, s.ParentSpanId!), headers);
        });

        // The service's own hop over Kafka (worker producer → shipping consumer) is followed through real messages too.
        var shipments = SampleRun.Check(report, "message_headers:shipments");
        Assert.True(shipments.Status == CheckStatus.Pass, shipments.Message);
        var (producer, consumer) = (shipments.Evidence.SampleSpans[0], shipments.Evidence.SampleSpans[1]);
        Assert.Equal((producer.TraceId, producer.SpanId), (consumer.TraceId, consumer.ParentSpanId));
        Assert.Contains(producer.TraceId, headers.Select(h => h.TraceId));
        await SampleRun.AssertMatchesSchemaAsync(report);
    }

    [Fact]
    public async Task Run_KafkaConsumerIgnoresTheHeaders_FailsNamingTheMessageHop()
    {
        var options = _run.Options(SampleRun.KafkaCommand, Expect, Traffic);
        options.Environment["KAFKA_BOOTSTRAP_SERVERS"] = Kafka.BootstrapServers;
        options.Environment["SAMPLE_IGNORE_HEADERS"] = "1";
        options.CollectTimeout = TimeSpan.FromSeconds(8);

        var outcome = await new ValidationRunner().RunAsync(options);

        Assert.Equal(ValidateExitCodes.Fail, outcome.ExitCode);
        var hop = SampleRun.Check(outcome.Report, "message_headers:kafka orders");
        Assert.Equal(CheckStatus.Fail, hop.Status);
        Assert.Contains("hop validator → consumer of Kafka topic 'orders'", hop.Message, StringComparison.Ordinal);
        Assert.Contains("only 0 of 3 message(s)", hop.Message, StringComparison.Ordinal);
        Assert.Contains("3 consumer span(s) on 'orders' arrived", hop.Message, StringComparison.Ordinal);
        Assert.Contains("did not extract the traceparent", hop.Message, StringComparison.Ordinal);

        // Evidence: the validator's trace ids, and consumer spans that started traces of their own.
        var headers = ReadTraceparents("orders", 3);
        Assert.Equal(headers.Select(h => h.TraceId).Order(), hop.Evidence.TraceIds.Order());
        Assert.All(hop.Evidence.SampleSpans, s =>
        {
            Assert.Null(s.ParentSpanId);
            Assert.DoesNotContain(s.TraceId, hop.Evidence.TraceIds);
        });

        // Only that hop is named: the messages arrived, and the service's own hop still carries its context.
        Assert.Equal(CheckStatus.Pass, SampleRun.Check(outcome.Report, "traffic:kafka").Status);
        Assert.Equal(CheckStatus.Pass, SampleRun.Check(outcome.Report, "message_headers:shipments").Status);
        Assert.Single(outcome.Report.Checks, c => c.Status == CheckStatus.Fail);
        await SampleRun.AssertMatchesSchemaAsync(outcome.Report);
    }

    [Fact]
    public async Task Run_KafkaBrokerUnreachable_FailsNamingTheBootstrapServersWithinTheTimeout()
    {
        // A loopback port nobody listens on: connections are refused at once.
        var closed = $"127.0.0.1:{FreePort()}";
        // No readiness probe: the sample's consumers never get partitions from a broker that is not there.
        var traffic = Traffic
            .Replace("readiness:\n  path: /healthz\n  timeout: 60s\n", string.Empty, StringComparison.Ordinal)
            .Replace("${KAFKA_BOOTSTRAP_SERVERS}", closed + "\n  timeout: 2s", StringComparison.Ordinal);
        Assert.DoesNotContain("readiness", traffic, StringComparison.Ordinal);
        var options = _run.Options(SampleRun.KafkaCommand, Expect, traffic);
        options.Environment["KAFKA_BOOTSTRAP_SERVERS"] = closed;
        options.CollectTimeout = TimeSpan.FromSeconds(2);

        var outcome = await new ValidationRunner().RunAsync(options);

        Assert.Equal(ValidateExitCodes.Fail, outcome.ExitCode);
        var sent = SampleRun.Check(outcome.Report, "traffic:kafka");
        Assert.Equal(CheckStatus.Fail, sent.Status);
        Assert.Contains($"3 of 3 Kafka message(s) to orders were not delivered to bootstrap servers {closed} within 2s", sent.Message, StringComparison.Ordinal);
        Assert.Contains("Message timed out", sent.Message, StringComparison.Ordinal);
        Assert.Equal(0, outcome.Report.Traffic.MessagesSent);
        Assert.DoesNotContain(outcome.Report.Checks, c => c.Name == "message_headers:kafka orders");
    }

    private List<(string TraceId, string SpanId)> ReadTraceparents(string topic, int count)
    {
        Assert.Null(KafkaNative.TryLoad());
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            GroupId = "test-reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Subscribe(topic);
        var found = new List<(string, string)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (found.Count < count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: { } message })
            {
                var parts = Encoding.ASCII.GetString(message.Headers.GetLastBytes("traceparent")).Split('-');
                found.Add((parts[1], parts[2]));
            }
        }

        consumer.Close();
        Assert.Equal(count, found.Count);
        return found;
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        socket.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
