using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Simulator.Telemetry;

/// <summary>
/// One running instance of a simulated service, instrumented as a real .NET service is: its own
/// <see cref="TracerProvider"/>, <see cref="MeterProvider"/> and OpenTelemetry <see cref="ILoggerFactory"/>, all with
/// the service's resource (<c>service.name</c>, <c>service.version</c>, <c>service.instance.id</c>,
/// <c>deployment.environment.name</c>), exporting OTLP/HTTP protobuf through the SDK's own exporters. A deploy is a
/// new instance with the new version, as a restarted process would be.
/// </summary>
/// <remarks>
/// Nothing is exported on the SDK's timers: spans and logs wait in batch processors (queues large enough for a
/// minute of traffic, so none is dropped) until <see cref="Flush"/>, and metrics are collected by a manual reader on
/// <see cref="CollectMetrics"/>. The simulation decides when simulated time has passed.
/// </remarks>
internal sealed class ServiceTelemetry : IDisposable
{
    /// <summary>Spans or log records one service may buffer between flushes; the simulation flushes well before.</summary>
    public const int QueueCapacity = 1 << 17;

    private const int ExportBatch = 4096;
    private readonly BatchActivityExportProcessor _spans;
    private readonly BatchLogRecordExportProcessor _logs;
    private readonly BaseExportingMetricReader _reader;
    private readonly TracerProvider _tracerProvider;
    private readonly MeterProvider _meterProvider;
    private readonly Meter _meter;
    private readonly ILoggerFactory _loggerFactory;
    private readonly int _flushTimeoutMs;
    private readonly ulong _startUnixNano;
    private long _metricTimeUnixNano;
    private long _metricPointsSent;
    private double _cpu;
    private int _disposed;

    public ServiceTelemetry(string service, string version, string instanceId, SimulatorOptions options, ExportStats stats, long startUnixNano, CancellationToken stopping)
    {
        Service = service;
        Version = version;
        _startUnixNano = (ulong)startUnixNano;
        _metricTimeUnixNano = startUnixNano;
        LogTime = DateTime.UnixEpoch.AddTicks(startUnixNano / 100);
        _flushTimeoutMs = (int)Math.Min(int.MaxValue, (options.ExportTimeout + options.ExportRetryTime).TotalMilliseconds);
        var resource = ResourceBuilder.CreateEmpty()
            .AddService(service, serviceVersion: version, autoGenerateServiceInstanceId: false, serviceInstanceId: instanceId)
            .AddAttributes([new("deployment.environment.name", options.Environment), new("host.name", instanceId)]);

        var sourceName = "autopilot.simulator." + service;
        Source = new ActivitySource(sourceName, version);
        _spans = new OwnSpansProcessor(Source, new OtlpTraceExporter(Exporter(options, stats, "/v1/traces", null, stopping)), _flushTimeoutMs);
        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(_spans)
            .Build();

        var meter = _meter = new Meter(sourceName, version);
        _meter.CreateObservableGauge("process.cpu.utilization", () => Volatile.Read(ref _cpu), unit: "1", description: "Share of the CPU the service's process uses.");
        _reader = new BaseExportingMetricReader(new OtlpMetricExporter(Exporter(options, stats, "/v1/metrics", new MetricStamp(MetricTimes, OnMetricPoints), stopping)));
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(sourceName)

            // As for spans: the provider subscribes by meter name, so another instance's meter of this name is dropped.
            .AddView(instrument => ReferenceEquals(instrument.Meter, meter) ? null : MetricStreamConfiguration.Drop)
            .SetExemplarFilter(ExemplarFilterType.AlwaysOff)
            .AddReader(_reader)
            .Build();

        _logs = new BatchLogRecordExportProcessor(new OtlpLogExporter(Exporter(options, stats, "/v1/logs", null, stopping)), QueueCapacity, int.MaxValue, _flushTimeoutMs, ExportBatch);
        _loggerFactory = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(resource);
                o.IncludeFormattedMessage = true;
                o.AddProcessor(new SimulatedTimeLogProcessor(this));
                o.AddProcessor(_logs);
            }));
        Logger = _loggerFactory.CreateLogger(service);
    }

    public string Service { get; }

    public string Version { get; }

    public ActivitySource Source { get; }

    public ILogger Logger { get; }

    /// <summary>The simulated time the next log record is stamped with (set before each log call).</summary>
    public DateTime LogTime { get; set; }

    /// <summary>The value the <c>process.cpu.utilization</c> gauge reports at the next collection.</summary>
    public double Cpu
    {
        get => Volatile.Read(ref _cpu);
        set => Volatile.Write(ref _cpu, value);
    }

    /// <summary>Metric data points the exporter has sent (counted on the wire, so the final export at disposal counts too).</summary>
    public long MetricPointsSent => Interlocked.Read(ref _metricPointsSent);

    /// <summary>Exports the buffered spans and log records; false when an export did not finish within the timeout.</summary>
    public bool Flush()
    {
        var spans = _spans.ForceFlush(_flushTimeoutMs);
        var logs = _logs.ForceFlush(_flushTimeoutMs);
        return spans && logs;
    }

    /// <summary>Collects and exports the metrics as of simulated time <paramref name="timeUnixNano"/>.</summary>
    public bool CollectMetrics(long timeUnixNano)
    {
        Interlocked.Exchange(ref _metricTimeUnixNano, timeUnixNano);
        return _reader.Collect(_flushTimeoutMs);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Shutting down exports whatever is still buffered (nothing after a flush; spans and logs keep their simulated
        // times) and collects the metrics once more, stamped with the last collection time and counted in MetricPointsSent.
        _tracerProvider.Dispose();
        _loggerFactory.Dispose();
        _meterProvider.Dispose();
        _meter.Dispose();
        Source.Dispose();
    }

    private (ulong Start, ulong Time) MetricTimes() => (_startUnixNano, (ulong)Interlocked.Read(ref _metricTimeUnixNano));

    private void OnMetricPoints(int points) => Interlocked.Add(ref _metricPointsSent, points);

    private static OtlpExporterOptions Exporter(SimulatorOptions options, ExportStats stats, string path, MetricStamp? metricStamp, CancellationToken stopping) => new()
    {
        Protocol = OtlpExportProtocol.HttpProtobuf,
        Endpoint = new Uri(options.Endpoint, path),
        TimeoutMilliseconds = (int)options.ExportTimeout.TotalMilliseconds,
        HttpClientFactory = () => new HttpClient(new ExportHandler(new SocketsHttpHandler(), stats, options.AuthToken, options.ExportRetryTime, stopping, metricStamp))
        {
            Timeout = options.ExportTimeout + options.ExportRetryTime,
        },
    };

    /// <summary>
    /// The service instance's span batcher, taking only the spans of its own <see cref="ActivitySource"/> instance. An
    /// SDK tracer provider listens to every source with the name it was given, so two simulations in one process (or
    /// an old and a new instance of a service) would otherwise each export the other's spans under their own resource.
    /// </summary>
    private sealed class OwnSpansProcessor(ActivitySource source, BaseExporter<Activity> exporter, int flushTimeoutMs)
        : BatchActivityExportProcessor(exporter, QueueCapacity, int.MaxValue, flushTimeoutMs, ExportBatch)
    {
        public override void OnEnd(Activity data)
        {
            if (ReferenceEquals(data.Source, source))
            {
                base.OnEnd(data);
            }
        }
    }
}
