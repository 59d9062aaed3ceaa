using System.Diagnostics;
using Autopilot.Host.Tests.Ingest;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// More telemetry while a page is open (the simulated shop in <see cref="DashboardFixture"/> is the rest), sent the
/// way users send it: spans through the official OpenTelemetry SDK and its OTLP/HTTP exporter, explicit start times
/// so event time is under control, in time order, 20 s of event time per flush, as a live exporter would send them.
/// </summary>
internal static class DemoTelemetry
{
    public const string Env = DashboardFixture.Environment;

    /// <summary>A minute boundary <paramref name="minutesAgo"/> minutes ago.</summary>
    public static DateTimeOffset MinuteAgo(int minutesAgo)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-minutesAgo);
    }

    /// <summary><paramref name="service"/> (no callers) fails half its calls in its first minute, then recovers: an error burst of its own.</summary>
    public static async Task SendLoneBurstAsync(TestServer server, string service, DateTimeOffset start, int minutes = 2)
    {
        var sourceName = "autopilot.dashboard.tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var provider = Provider(server, sourceName, service);
        for (var chunk = 0; chunk < minutes * 60; chunk += 20)
        {
            for (var second = chunk; second < chunk + 20; second++)
            {
                var at = start.AddSeconds(second);
                using var span = source.StartActivity("GET /stock/{sku}", ActivityKind.Server, default(ActivityContext), startTime: at);
                Assert.NotNull(span);
                if (second < 60 && second % 2 == 0)
                {
                    span.SetStatus(ActivityStatusCode.Error, "stock service unavailable");
                }

                span.SetEndTime(at.AddMilliseconds(12).UtcDateTime);
            }

            Assert.True(provider.ForceFlush(30_000), "the OTLP exporter did not flush within 30 s");
        }

        await Task.CompletedTask;
    }

    private static TracerProvider Provider(TestServer server, string sourceName, string service) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service).AddAttributes([new("deployment.environment.name", Env)]))
            .AddSource(sourceName)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(server.HttpEndpoint, "/v1/traces");
                o.ExportProcessorType = ExportProcessorType.Batch;
                o.BatchExportProcessorOptions.MaxQueueSize = 8192;
                o.BatchExportProcessorOptions.MaxExportBatchSize = 2048;
                o.BatchExportProcessorOptions.ScheduledDelayMilliseconds = 60_000;
                o.TimeoutMilliseconds = 30_000;
            })
            .Build();
}
