using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Metrics.V1;
using Google.Protobuf;

using static Autopilot.LoadGen.PayloadParts;

namespace Autopilot.LoadGen;

/// <summary>
/// Pre-encoded OTLP <c>ExportMetricsServiceRequest</c>s, each already in a gRPC frame: the metric counterpart of
/// <see cref="TracePayloads"/> (same services and resource attributes, about 1000 data points per request). Each service
/// (one ResourceMetrics) reports, per export, what an instrumented ASP.NET Core service and a host-metrics scraper do:
/// <c>http.server.request.duration</c> explicit-bucket histograms per method, route, status and scheme (40% of the
/// points), cumulative monotonic sums of the .NET runtime and the host (25%), gauges such as <c>system.memory.usage</c>
/// by <c>state</c> (20%), exponential histograms of database and messaging durations (10%) and summaries of gRPC
/// durations (the rest; summaries reach OTLP from Prometheus scrapes, not from OpenTelemetry SDKs).
/// Seeded, so every run sends the same bytes.
/// </summary>
internal static class MetricPayloads
{
    private static readonly string[] s_methods = ["GET", "POST", "PUT", "DELETE"];
    private static readonly long[] s_statuses = [200, 404, 429, 503];
    private static readonly string[] s_operations = ["SELECT", "INSERT", "UPDATE", "DELETE"];
    private static readonly string[] s_topics = ["orders", "payments", "shipments", "inventory"];
    private static readonly string[] s_rpcServices = ["shop.Pricing", "shop.Fraud"];
    private static readonly string[] s_rpcMethods = ["Quote", "Check", "Score", "Refresh", "Explain"];
    private static readonly string[] s_cpuModes = ["user", "system", "idle", "iowait", "nice", "irq", "softirq", "steal"];
    private static readonly string[] s_heapGenerations = ["gen0", "gen1", "gen2", "loh", "poh"];
    private static readonly string[] s_networkDevices = ["eth0", "lo"];
    private static readonly string[] s_disks = ["nvme0n1", "nvme1n1"];

    // The SDK's default boundaries for a duration in seconds (the HTTP semantic conventions' advice).
    private static readonly double[] s_durationBounds = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    // Every (metric, attributes) series a service reports as a cumulative sum, in the order they fill the sums' share.
    private static readonly SumSeries[] s_sums = BuildSumSeries();

    // The same for gauges.
    private static readonly GaugeSeries[] s_gauges = BuildGaugeSeries();

    /// <summary>One encoded request plus its gRPC frame; <see cref="DataPoints"/> counts the data points in it, of every kind.</summary>
    public sealed record Payload(byte[] GrpcFrame, int MessageBytes, int DataPoints);

    public static Payload[] Build(int count, int pointsPerRequest, int seed) =>
        Array.ConvertAll(
            FrameEach(count, seed, (random, p, now) =>

                // One export interval (10 s) apart; cumulative series all started an hour before the first.
                BuildRequest(random, pointsPerRequest, now - 3_600_000_000_000UL, now + ((ulong)p * 10_000_000_000UL))),
            f => new Payload(f.Frame, f.MessageBytes, pointsPerRequest));

    private static ExportMetricsServiceRequest BuildRequest(Random random, int points, ulong startTime, ulong time)
    {
        var request = new ExportMetricsServiceRequest();
        var perService = points / Services.Length;
        for (var s = 0; s < Services.Length; s++)
        {
            var n = s == Services.Length - 1 ? points - (perService * (Services.Length - 1)) : perService;
            var resourceMetrics = new ResourceMetrics
            {
                Resource = PayloadParts.Resource(s),
                SchemaUrl = PayloadParts.SchemaUrl,
            };

            // The shares add up to n exactly: summaries take what the integer divisions leave.
            var histograms = n * 40 / 100;
            var sums = n * 25 / 100;
            var gauges = n * 20 / 100;
            var exponentials = n * 10 / 100;
            var summaries = n - histograms - sums - gauges - exponentials;
            var window = new Window(startTime, time);
            AddHttpHistograms(resourceMetrics, random, histograms, window);
            AddSums(resourceMetrics, random, sums, window);
            AddGauges(resourceMetrics, random, gauges, window);
            AddExponentialHistograms(resourceMetrics, random, exponentials, window);
            AddSummaries(resourceMetrics, random, summaries, window);
            request.ResourceMetrics.Add(resourceMetrics);
        }

        return request;
    }

    private static void AddHttpHistograms(ResourceMetrics resource, Random random, int count, Window window)
    {
        if (count == 0)
        {
            return;
        }

        var histogram = new Histogram { AggregationTemporality = AggregationTemporality.Cumulative };
        for (var i = 0; i < count; i++)
        {
            // Method, route and status vary fastest in that order, so the first 80 points are 80 different series.
            var route = Routes[i % Routes.Length];
            var method = s_methods[(i / Routes.Length) % s_methods.Length];
            var status = s_statuses[(i / (Routes.Length * s_methods.Length)) % s_statuses.Length];
            var point = new HistogramDataPoint { StartTimeUnixNano = window.Start, TimeUnixNano = window.Time };
            point.Attributes.Add(Str("http.request.method", method));
            point.Attributes.Add(Str("http.route", route));
            point.Attributes.Add(Int("http.response.status_code", status));
            point.Attributes.Add(Str("url.scheme", "https"));
            point.ExplicitBounds.Add(s_durationBounds);

            // A hump around a typical bucket per series, empty buckets far from it, as real latency histograms look.
            var typical = 2 + random.Next(4);
            ulong total = 0;
            double sum = 0;
            int first = -1, last = -1;
            for (var b = 0; b <= s_durationBounds.Length; b++)
            {
                var distance = Math.Abs(b - typical);
                var inBucket = distance > 4 ? 0UL : (ulong)random.Next(0, 2000 >> (2 * distance));
                point.BucketCounts.Add(inBucket);
                if (inBucket > 0)
                {
                    first = first < 0 ? b : first;
                    last = b;
                    var lower = b == 0 ? 0 : s_durationBounds[b - 1];
                    var upper = b == s_durationBounds.Length ? s_durationBounds[^1] * 2 : s_durationBounds[b];
                    total += inBucket;
                    sum += inBucket * (lower + ((upper - lower) * random.NextDouble()));
                }
            }

            point.Count = total;
            point.Sum = sum;
            if (first >= 0)
            {
                point.Min = first == 0 ? 0.001 : s_durationBounds[first - 1];
                point.Max = last == s_durationBounds.Length ? s_durationBounds[^1] * 2 : s_durationBounds[last];
            }

            // The SDK keeps an exemplar when a sampled trace recorded into the point: one point in four here.
            if (i % 4 == 0)
            {
                point.Exemplars.Add(new Exemplar { TimeUnixNano = window.Time - 1_000_000UL, AsDouble = 0.042, TraceId = RandomBytes(random, 16), SpanId = RandomBytes(random, 8) });
            }

            histogram.DataPoints.Add(point);
        }

        var metric = new Metric { Name = "http.server.request.duration", Unit = "s", Description = "Duration of HTTP server requests.", Histogram = histogram };
        Scope(resource, "Microsoft.AspNetCore.Hosting", "9.0.0").Metrics.Add(metric);
    }

    private static void AddSums(ResourceMetrics resource, Random random, int count, Window window)
    {
        for (var i = 0; i < count; i++)
        {
            // Past the catalogue the series repeat: the normalizer keeps every point, so the count stays exact.
            var series = s_sums[i % s_sums.Length];
            var point = new NumberDataPoint { StartTimeUnixNano = window.Start, TimeUnixNano = window.Time };
            if (series.AttributeKey is not null)
            {
                point.Attributes.Add(Str(series.AttributeKey, series.AttributeValue!));
            }

            if (series.SecondKey is not null)
            {
                point.Attributes.Add(Str(series.SecondKey, series.SecondValue!));
            }

            if (series.Integer)
            {
                point.AsInt = series.Monotonic ? random.NextInt64(1_000, 50_000_000) : random.Next(0, 40);
            }
            else
            {
                point.AsDouble = Math.Round(random.NextDouble() * 3_600, 3);
            }

            var metric = Instrument(Scope(resource, series.Scope, series.ScopeVersion), series.Name, series.Unit, () => new Metric
            {
                Sum = new Sum { AggregationTemporality = AggregationTemporality.Cumulative, IsMonotonic = series.Monotonic },
            });
            metric.Sum.DataPoints.Add(point);
        }
    }

    private static void AddGauges(ResourceMetrics resource, Random random, int count, Window window)
    {
        for (var i = 0; i < count; i++)
        {
            var series = s_gauges[i % s_gauges.Length];
            var point = new NumberDataPoint { TimeUnixNano = window.Time };
            point.Attributes.Add(Str(series.AttributeKey, series.AttributeValue));
            if (series.SecondKey is not null)
            {
                point.Attributes.Add(Str(series.SecondKey, series.SecondValue!));
            }

            if (series.Integer)
            {
                point.AsInt = random.NextInt64(1L << 20, 8L << 30);
            }
            else
            {
                point.AsDouble = Math.Round(random.NextDouble(), 4);
            }

            var metric = Instrument(Scope(resource, series.Scope, series.ScopeVersion), series.Name, series.Unit, () => new Metric { Gauge = new Gauge() });
            metric.Gauge.DataPoints.Add(point);
        }
    }

    private static void AddExponentialHistograms(ResourceMetrics resource, Random random, int count, Window window)
    {
        const int Scale = 3;
        var perBucket = Math.Pow(2, -Scale);
        for (var i = 0; i < count; i++)
        {
            // Database operations by table first (16 series), then messaging by topic.
            var database = i % 20 < 16;
            var point = new ExponentialHistogramDataPoint { StartTimeUnixNano = window.Start, TimeUnixNano = window.Time, Scale = Scale };
            if (database)
            {
                point.Attributes.Add(Str("db.system.name", "postgresql"));
                point.Attributes.Add(Str("db.operation.name", s_operations[i % s_operations.Length]));
                point.Attributes.Add(Str("db.collection.name", Tables[(i / s_operations.Length) % Tables.Length]));
                point.Attributes.Add(Str("db.namespace", "shop"));
            }
            else
            {
                point.Attributes.Add(Str("messaging.system", "kafka"));
                point.Attributes.Add(Str("messaging.destination.name", s_topics[i % s_topics.Length]));
                point.Attributes.Add(Str("messaging.consumer.group.name", "shop-workers"));
            }

            // Scale 3 (8 buckets per power of two); durations from about 2 ms (index -72) to about 0.5 s (index -8).
            var offset = -72 + random.Next(0, 9);
            var buckets = new ExponentialHistogramDataPoint.Types.Buckets { Offset = offset };
            var length = 24 + random.Next(0, 25);
            ulong total = 0;
            double sum = 0;
            for (var b = 0; b < length; b++)
            {
                var fromMiddle = Math.Abs(b - (length / 2));
                var inBucket = (ulong)random.Next(0, Math.Max(1, 400 - (fromMiddle * 16)));
                buckets.BucketCounts.Add(inBucket);
                total += inBucket;
                sum += inBucket * Math.Pow(2, (offset + b + 0.5) * perBucket);
            }

            point.Positive = buckets;
            point.ZeroCount = 0;
            point.Count = total;
            point.Sum = sum;
            point.Min = Math.Pow(2, offset * perBucket);
            point.Max = Math.Pow(2, (offset + length) * perBucket);
            var metric = database
                ? Instrument(Scope(resource, "Npgsql", "8.0.5"), "db.client.operation.duration", "s", () => new Metric { ExponentialHistogram = new ExponentialHistogram { AggregationTemporality = AggregationTemporality.Cumulative } })
                : Instrument(Scope(resource, "Confluent.Kafka", "2.6.0"), "messaging.process.duration", "s", () => new Metric { ExponentialHistogram = new ExponentialHistogram { AggregationTemporality = AggregationTemporality.Cumulative } });
            metric.ExponentialHistogram.DataPoints.Add(point);
        }
    }

    private static void AddSummaries(ResourceMetrics resource, Random random, int count, Window window)
    {
        for (var i = 0; i < count; i++)
        {
            var point = new SummaryDataPoint { StartTimeUnixNano = window.Start, TimeUnixNano = window.Time };
            point.Attributes.Add(Str("rpc.system", "grpc"));
            point.Attributes.Add(Str("rpc.service", s_rpcServices[i % s_rpcServices.Length]));
            point.Attributes.Add(Str("rpc.method", s_rpcMethods[(i / s_rpcServices.Length) % s_rpcMethods.Length]));
            var median = 0.002 + (random.NextDouble() * 0.05);
            point.Count = (ulong)random.Next(100, 100_000);
            point.Sum = point.Count * median * 1.3;
            point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.5, Value = median });
            point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.9, Value = median * 2.5 });
            point.QuantileValues.Add(new SummaryDataPoint.Types.ValueAtQuantile { Quantile = 0.99, Value = median * 7 });
            var metric = Instrument(Scope(resource, "otelcol/prometheusreceiver", "0.111.0"), "rpc.server.duration", "s", () => new Metric { Summary = new Summary() });
            metric.Summary.DataPoints.Add(point);
        }
    }

    // The scope's entry under this resource, added on first use, so each instrumentation library appears once.
    private static ScopeMetrics Scope(ResourceMetrics resource, string name, string version)
    {
        foreach (var scope in resource.ScopeMetrics)
        {
            if (scope.Scope.Name == name)
            {
                return scope;
            }
        }

        var added = new ScopeMetrics { Scope = new InstrumentationScope { Name = name, Version = version } };
        resource.ScopeMetrics.Add(added);
        return added;
    }

    // The instrument's entry under this scope, added on first use: an SDK exports each instrument once, all its series inside.
    private static Metric Instrument(ScopeMetrics scope, string name, string unit, Func<Metric> create)
    {
        foreach (var metric in scope.Metrics)
        {
            if (metric.Name == name)
            {
                return metric;
            }
        }

        var added = create();
        added.Name = name;
        added.Unit = unit;
        scope.Metrics.Add(added);
        return added;
    }

    private static SumSeries[] BuildSumSeries()
    {
        const string Runtime = "OpenTelemetry.Instrumentation.Runtime";
        const string RuntimeVersion = "1.9.0";
        const string Host = "otelcol/hostmetricsreceiver";
        const string HostVersion = "0.111.0";
        var series = new List<SumSeries>
        {
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.gc.collections.count", "{collections}", true, true, "generation", "gen0"),
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.gc.collections.count", "{collections}", true, true, "generation", "gen1"),
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.gc.collections.count", "{collections}", true, true, "generation", "gen2"),
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.gc.allocations.size", "By", true, true, null, null),
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.exceptions.count", "{exceptions}", true, true, null, null),
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.thread_pool.completed_items.count", "{items}", true, true, null, null),
            new(Runtime, RuntimeVersion, "process.runtime.dotnet.jit.methods_compiled.count", "{methods}", true, true, null, null),
        };
        for (var cpu = 0; cpu < 4; cpu++)
        {
            foreach (var mode in s_cpuModes)
            {
                series.Add(new(Host, HostVersion, "system.cpu.time", "s", true, false, "cpu", "cpu" + cpu, "state", mode));
            }
        }

        foreach (var device in s_networkDevices)
        {
            series.Add(new(Host, HostVersion, "system.network.io", "By", true, true, "device", device, "direction", "receive"));
            series.Add(new(Host, HostVersion, "system.network.io", "By", true, true, "device", device, "direction", "transmit"));
        }

        foreach (var device in s_disks)
        {
            series.Add(new(Host, HostVersion, "system.disk.io", "By", true, true, "device", device, "direction", "read"));
            series.Add(new(Host, HostVersion, "system.disk.io", "By", true, true, "device", device, "direction", "write"));
        }

        // An up-down counter: a cumulative sum that is not monotonic.
        foreach (var method in s_methods)
        {
            series.Add(new("Microsoft.AspNetCore.Hosting", "9.0.0", "http.server.active_requests", "{requests}", false, true, "http.request.method", method, "url.scheme", "https"));
        }

        return [.. series];
    }

    private static GaugeSeries[] BuildGaugeSeries()
    {
        const string Host = "otelcol/hostmetricsreceiver";
        const string HostVersion = "0.111.0";
        var series = new List<GaugeSeries>
        {
            new(Host, HostVersion, "system.memory.usage", "By", true, "state", "used"),
            new(Host, HostVersion, "system.memory.usage", "By", true, "state", "free"),
            new(Host, HostVersion, "system.memory.usage", "By", true, "state", "cached"),
        };
        foreach (var generation in s_heapGenerations)
        {
            series.Add(new("OpenTelemetry.Instrumentation.Runtime", "1.9.0", "process.runtime.dotnet.gc.heap.size", "By", true, "generation", generation));
        }

        for (var cpu = 0; cpu < 4; cpu++)
        {
            foreach (var mode in s_cpuModes)
            {
                series.Add(new(Host, HostVersion, "system.cpu.utilization", "1", false, "cpu", "cpu" + cpu, "state", mode));
            }
        }

        return [.. series];
    }

    private static ByteString RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        bytes[0] |= 1;
        return ByteString.CopyFrom(bytes);
    }



    private readonly record struct Window(ulong Start, ulong Time);

    private sealed record SumSeries(
        string Scope, string ScopeVersion, string Name, string Unit, bool Monotonic, bool Integer, string? AttributeKey, string? AttributeValue, string? SecondKey = null, string? SecondValue = null);

    private sealed record GaugeSeries(
        string Scope, string ScopeVersion, string Name, string Unit, bool Integer, string AttributeKey, string AttributeValue, string? SecondKey = null, string? SecondValue = null);
}
