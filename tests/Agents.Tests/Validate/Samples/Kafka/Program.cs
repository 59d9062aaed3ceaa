// A Kafka sample service for the Telemetry Validator tests. Two logical services in one process, each with its own
// TracerProvider (OTLP exporter configured by the validator's OTEL_* environment):
//   orders-worker  consumes topic "orders"; its consumer span "process orders" continues the traceparent in the
//                  message headers; inside it a producer span "publish shipments" produces to "shipments" with
//                  the traceparent injected into the headers;
//   shipping       consumes topic "shipments"; its consumer span "process shipments" continues that traceparent.
// Environment: KAFKA_BOOTSTRAP_SERVERS (required), PORT (GET /healthz: 200 once both consumers have their
// partitions, so the validator's readiness probe waits out the consumer-group join), and the test switch
//   SAMPLE_IGNORE_HEADERS=1   orders-worker does not extract the traceparent of "orders" (its spans start new traces)
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

var bootstrap = Environment.GetEnvironmentVariable("KAFKA_BOOTSTRAP_SERVERS") ?? throw new InvalidOperationException("KAFKA_BOOTSTRAP_SERVERS is not set");
var port = Environment.GetEnvironmentVariable("PORT") ?? "5081";
var ignoreHeaders = Environment.GetEnvironmentVariable("SAMPLE_IGNORE_HEADERS") == "1";

// Debian's librdkafka1 ships only librdkafka.so.1 (and glibc only libdl.so.2): map the names Confluent.Kafka asks for.
NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) => name switch
{
    "libdl" => NativeLibrary.Load("libdl.so.2"),
    "librdkafka" => NativeLibrary.Load("librdkafka.so.1"),
    _ => IntPtr.Zero,
});
Library.Load("librdkafka.so.1");

using var workerSource = new ActivitySource("Sample.Worker");
using var shippingSource = new ActivitySource("Sample.Shipping");

static TracerProvider Tracer(string service, string source) => Sdk.CreateTracerProviderBuilder()
    .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceVersion: "1.0.0"))
    .AddSource(source)
    .AddOtlpExporter()
    .Build();

using var workerTracer = Tracer("orders-worker", "Sample.Worker");
using var shippingTracer = Tracer("shipping", "Sample.Shipping");
var propagator = new TraceContextPropagator();

ActivityContext Extract(Headers headers) =>
    propagator.Extract(default, headers, static (h, key) => h.TryGetLastBytes(key, out var v) ? [Encoding.UTF8.GetString(v)] : []).ActivityContext;

using var producer = new ProducerBuilder<string?, string?>(new ProducerConfig { BootstrapServers = bootstrap, LingerMs = 5 }).Build();

var assigned = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

IConsumer<string?, string?> Consumer(string group) => new ConsumerBuilder<string?, string?>(new ConsumerConfig
{
    BootstrapServers = bootstrap,
    GroupId = group,
    AutoOffsetReset = AutoOffsetReset.Earliest,
    TopicMetadataRefreshIntervalMs = 1000,
}).SetLogHandler((_, m) => Console.Error.WriteLine($"{group}: {m.Message}"))
    .SetPartitionsAssignedHandler((_, partitions) => assigned[group] = partitions.Count > 0)
    .Build();

using var stop = new CancellationTokenSource();

void Consume(string topic, string group, Action<ConsumeResult<string?, string?>> handle)
{
    using var consumer = Consumer(group);
    consumer.Subscribe(topic);
    try
    {
        while (!stop.IsCancellationRequested)
        {
            if (consumer.Consume(stop.Token) is { Message: not null } result)
            {
                handle(result);
            }
        }
    }
    catch (OperationCanceledException)
    {
    }

    consumer.Close();
}

void SetMessagingTags(Activity? span, string topic, string operation, ConsumeResult<string?, string?>? result = null)
{
    span?.SetTag("messaging.system", "kafka");
    span?.SetTag("messaging.destination.name", topic);
    span?.SetTag("messaging.operation.type", operation);
    if (result is not null)
    {
        span?.SetTag("messaging.kafka.offset", result.Offset.Value);
        span?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

var worker = Task.Factory.StartNew(() => Consume("orders", "orders-worker", result =>
{
    Activity.Current = null;
    var parent = ignoreHeaders ? default : Extract(result.Message.Headers);
    using var span = workerSource.StartActivity("process orders", ActivityKind.Consumer, parent);
    SetMessagingTags(span, "orders", "process", result);

    using var publish = workerSource.StartActivity("publish shipments", ActivityKind.Producer);
    SetMessagingTags(publish, "shipments", "send");
    var headers = new Headers();
    if (publish is not null)
    {
        propagator.Inject(new PropagationContext(publish.Context, Baggage.Current), headers, static (h, k, v) => h.Add(k, Encoding.UTF8.GetBytes(v)));
    }

    producer.Produce("shipments", new Message<string?, string?> { Key = result.Message.Key, Value = result.Message.Value, Headers = headers });
}), TaskCreationOptions.LongRunning);

var shipping = Task.Factory.StartNew(() => Consume("shipments", "shipping", result =>
{
    Activity.Current = null;
    using var span = shippingSource.StartActivity("process shipments", ActivityKind.Consumer, Extract(result.Message.Headers));
    SetMessagingTags(span, "shipments", "process", result);
}), TaskCreationOptions.LongRunning);

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
app.MapGet("/healthz", () => assigned.Count(a => a.Value) == 2 ? Results.Text("ok") : Results.StatusCode(503));

Console.WriteLine($"kafka sample consuming from {bootstrap}, exporting to {Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")}");
await app.RunAsync();
stop.Cancel();
await Task.WhenAll(worker, shipping);
producer.Flush(TimeSpan.FromSeconds(5));
