using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Ingest;

/// <summary>The official OpenTelemetry .NET SDK and its OTLP exporter, pointed at a real server, as users do.</summary>
public sealed class OtelSdkIngestTests
{
    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Traces_FromTheSdk_ArriveWithExactCounts(OtlpExportProtocol protocol)
    {
        await using var server = await TestServer.StartAsync();
        var service = $"checkout-{protocol}".ToLowerInvariant();
        var sourceName = "autopilot.tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using (var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service).AddAttributes([new("deployment.environment.name", "test")]))
            .AddSource(sourceName)
            .AddOtlpExporter(o => Configure(o, server, protocol, "/v1/traces"))
            .Build())
        {
            for (var i = 0; i < 137; i++)
            {
                using var activity = source.StartActivity("GET /orders/{id}", ActivityKind.Server);
                activity?.SetTag("http.response.status_code", i % 10 == 0 ? 500 : 200);
            }

            Assert.True(tracer.ForceFlush(30_000));
        }

        var asset = await server.WaitForAssetAsync($"urn:autopilot:service:test:{service}", "spans", 137);
        Assert.Equal(137, asset.GetProperty("spans").GetInt64());
        Assert.Equal("service", asset.GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Metrics_FromTheSdk_ArriveAsDataPoints(OtlpExportProtocol protocol)
    {
        await using var server = await TestServer.StartAsync();
        var service = $"pricing-{protocol}".ToLowerInvariant();
        var meterName = "autopilot.tests." + Guid.NewGuid().ToString("N");
        using var meter = new Meter(meterName);
        var requests = meter.CreateCounter<long>("requests");
        var latency = meter.CreateHistogram<double>("latency", "ms");
        using (var provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddMeter(meterName)
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, server, protocol, "/v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
            })
            .Build())
        {
            requests.Add(5, new KeyValuePair<string, object?>("route", "/a"));
            requests.Add(7, new KeyValuePair<string, object?>("route", "/b"));
            for (var i = 0; i < 100; i++)
            {
                latency.Record(i);
            }

            // No ForceFlush: disposing exports once more, and cumulative points would then be counted twice.
        }

        // Two counter series and one histogram series, exported once on dispose: three data points.
        var asset = await server.WaitForAssetAsync($"urn:autopilot:service:default:{service}", "metrics", 3);
        Assert.Equal(3, asset.GetProperty("metrics").GetInt64());
    }

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task Logs_FromTheSdk_ArriveAsLogRecords(OtlpExportProtocol protocol)
    {
        await using var server = await TestServer.StartAsync();
        var service = $"billing-{protocol}".ToLowerInvariant();
        using (var loggerFactory = LoggerFactory.Create(builder => builder.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service));
                o.AddOtlpExporter(e => Configure(e, server, protocol, "/v1/logs"));
            })))
        {
            var logger = loggerFactory.CreateLogger("billing");
            for (var i = 0; i < 42; i++)
            {
                logger.LogWarning("invoice {Invoice} is late", i);
            }
        }

        var asset = await server.WaitForAssetAsync($"urn:autopilot:service:default:{service}", "logs", 42);
        Assert.Equal(42, asset.GetProperty("logs").GetInt64());
    }

    [Fact]
    public async Task Counts_SurviveARestart()
    {
        using var dir = new Hosting.TempDirectory();
        var urn = "urn:autopilot:service:default:restart-test";
        await using (var first = await TestServer.StartAsync(dataDirectory: dir.Path))
        {
            await SendSpansAsync(first, "restart-test", 25);
            await first.WaitForAssetAsync(urn, "spans", 25);
        }

        await using var second = await TestServer.StartAsync(dataDirectory: dir.Path);
        var asset = await second.WaitForAssetAsync(urn, "spans", 25);
        Assert.Equal(25, asset.GetProperty("spans").GetInt64());
        await SendSpansAsync(second, "restart-test", 5);
        await second.WaitForAssetAsync(urn, "spans", 30);
    }

    internal static async Task SendSpansAsync(TestServer server, string service, int count)
    {
        var sourceName = "autopilot.tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddSource(sourceName)
            .AddOtlpExporter(o => Configure(o, server, OtlpExportProtocol.Grpc, "/v1/traces"))
            .Build();
        for (var i = 0; i < count; i++)
        {
            using var _ = source.StartActivity("work");
        }

        Assert.True(tracer.ForceFlush(30_000));
        await Task.CompletedTask;
    }

    private static void Configure(OtlpExporterOptions options, TestServer server, OtlpExportProtocol protocol, string path)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? server.GrpcEndpoint : new Uri(server.HttpEndpoint, path);
        options.ExportProcessorType = ExportProcessorType.Simple;
        options.TimeoutMilliseconds = 30_000;
    }
}
