using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Autopilot.Host.Tests.Ingest;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Dashboard;

/// <summary>
/// Demo data for the dashboard tests, sent the way users send it: spans through the official OpenTelemetry
/// SDK and its OTLP/HTTP exporter (one tracer provider per service, explicit start times so event time is
/// under control), and an OpenLineage run event over HTTP. Spans go out in time order, 20 s of event time
/// per flush, as a live exporter would send them, so every engine window closes and is judged.
/// </summary>
internal static class DemoTelemetry
{
    public const string Env = "prod";
    public const string Checkout = "urn:autopilot:service:prod:checkout";
    private static readonly string[] s_callers = ["frontend", "mobile-api"];

    /// <summary>A minute boundary <paramref name="minutesAgo"/> minutes ago.</summary>
    public static DateTimeOffset MinuteAgo(int minutesAgo)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-minutesAgo);
    }

    /// <summary>
    /// frontend and mobile-api call checkout every 2 s for <paramref name="minutes"/> minutes from <paramref name="start"/>;
    /// in the first minute every third call fails on both sides (an error burst checkout's SLO and error-rate engines see);
    /// checkout writes to a database table and publishes to a Kafka topic on every call.
    /// </summary>
    public static async Task SendCheckoutBurstAsync(TestServer server, DateTimeOffset start, int minutes = 3)
    {
        // One activity source per service, each heard only by that service's provider (its resource).
        var run = Guid.NewGuid().ToString("N");
        var sources = new Dictionary<string, ActivitySource>(StringComparer.Ordinal);
        var providers = new Dictionary<string, TracerProvider>(StringComparer.Ordinal);
        try
        {
            foreach (var service in (string[])[.. s_callers, "checkout"])
            {
                sources[service] = new ActivitySource($"autopilot.dashboard.tests.{run}.{service}");
                providers[service] = Provider(server, sources[service].Name, service);
            }

            var n = 0;
            for (var chunk = 0; chunk < minutes * 60; chunk += 20)
            {
                for (var second = chunk; second < chunk + 20; second += 2)
                {
                    foreach (var caller in s_callers)
                    {
                        n++;
                        var failed = second < 60 && n % 3 == 0;
                        var at = start.AddSeconds(second).AddMilliseconds(n % 500);
                        Call(sources, caller, at, failed);
                    }
                }

                foreach (var provider in providers.Values)
                {
                    Assert.True(provider.ForceFlush(30_000), "the OTLP exporter did not flush within 30 s");
                }
            }
        }
        finally
        {
            foreach (var provider in providers.Values)
            {
                provider.Dispose();
            }

            foreach (var source in sources.Values)
            {
                source.Dispose();
            }
        }

        await Task.CompletedTask;
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

    /// <summary>An OpenLineage COMPLETE event: job shop.orders_daily reads the orders table and writes a report.</summary>
    public static async Task SendLineageAsync(TestServer server, DateTimeOffset at)
    {
        var json = """
            {"eventType":"COMPLETE","eventTime":"EVENT_TIME","producer":"https://github.com/OpenLineage/OpenLineage/tree/1.24.2/integration/airflow",
             "schemaURL":"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run":{"runId":"RUN_ID"},"job":{"namespace":"shop","name":"orders_daily"},
             "inputs":[{"namespace":"postgresql://db:5432","name":"shop.public.orders"}],
             "outputs":[{"namespace":"s3://lake","name":"reports/orders_daily","outputFacets":{"outputStatistics":{"_producer":"https://example.com","_schemaURL":"https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json","rowCount":1200}}}]}
            """
            .Replace("EVENT_TIME", at.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("RUN_ID", Guid.CreateVersion7().ToString(), StringComparison.Ordinal);
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static void Call(Dictionary<string, ActivitySource> sources, string caller, DateTimeOffset at, bool failed)
    {
        var checkout = sources["checkout"];
        using var client = Start(sources[caller], "POST /cart/checkout", ActivityKind.Client, default, at, 40, failed, ("server.address", "checkout"));
        using var server = Start(checkout, "POST /checkout", ActivityKind.Server, client.Context, at.AddMilliseconds(1), 35, failed);
        using var db = Start(checkout, "INSERT orders", ActivityKind.Client, server.Context, at.AddMilliseconds(2), 5, false,
            ("db.system", "postgresql"), ("db.namespace", "shop"), ("db.collection.name", "orders"), ("db.operation.name", "INSERT"));
        using var publish = Start(checkout, "payments publish", ActivityKind.Producer, server.Context, at.AddMilliseconds(3), 3, false,
            ("messaging.system", "kafka"), ("messaging.destination.name", "payments"), ("messaging.operation.type", "publish"));
    }

    private static Activity Start(ActivitySource source, string name, ActivityKind kind, ActivityContext parent, DateTimeOffset at, int ms, bool failed, params (string Key, string Value)[] tags)
    {
        var activity = source.StartActivity(name, kind, parent, tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)), startTime: at);
        Assert.NotNull(activity);
        if (failed)
        {
            activity.SetStatus(ActivityStatusCode.Error, "payment provider timed out");
        }

        activity.SetEndTime(at.AddMilliseconds(ms).UtcDateTime);
        return activity;
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
