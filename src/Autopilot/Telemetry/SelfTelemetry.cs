using System.Net.Security;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Receivers;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Telemetry;

/// <summary>
/// Autopilot's own traces and metrics through the OpenTelemetry SDK and its OTLP exporter. The providers are
/// built by hand (OpenTelemetry.Extensions.Hosting does not restore here) and disposed with the server, which
/// flushes what is buffered. Spans: the <c>Autopilot.Ingest</c> and <c>Autopilot.Engines</c> sources (ingest requests, engine snapshots) and
/// ASP.NET Core's request spans they hang under. Metrics: the <c>Autopilot.*</c> meters (pipeline, ingest,
/// log, engines) and ASP.NET Core's and Kestrel's.
/// </summary>
internal sealed class SelfTelemetry : IDisposable
{
    private readonly TracerProvider? _tracer;
    private readonly MeterProvider? _meter;
    private readonly HttpClient? _client;

    private SelfTelemetry(TracerProvider? tracer, MeterProvider? meter, HttpClient? client)
    {
        _tracer = tracer;
        _meter = meter;
        _client = client;
    }

    public static SelfTelemetry Start(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Otlp.Endpoint is not { } endpoint)
        {
            return new SelfTelemetry(null, null, null);
        }

        var version = typeof(SelfTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var resource = ResourceBuilder.CreateEmpty()
            .AddService(options.ServiceName, serviceVersion: version, serviceInstanceId: $"{Environment.MachineName}/{Environment.ProcessId}");
        var client = options.Otlp.CertificateFile is { } ca ? TrustingClient(ca, options.Otlp.Timeout) : null;

        var tracer = options.Traces
            ? Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(resource)
                .AddSource(IngestTelemetry.SourceName, EngineTelemetry.SourceName, "Microsoft.AspNetCore")
                .AddOtlpExporter(e => Configure(e, options.Otlp, endpoint, "v1/traces", client))
                .Build()
            : null;
        var meter = options.Metrics
            ? Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(resource)
                .AddMeter("Autopilot.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel")
                .AddView(instrument => IsOtherAutopilotCase(instrument.Meter.Name) ? MetricStreamConfiguration.Drop : null)
                .AddOtlpExporter((e, reader) =>
                {
                    Configure(e, options.Otlp, endpoint, "v1/metrics", client);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Min(int.MaxValue, options.MetricsInterval.TotalMilliseconds);
                })
                .Build()
            : null;
        return new SelfTelemetry(tracer, meter, client);
    }

    /// <summary>Exports what is buffered, then stops.</summary>
    public void Dispose()
    {
        _tracer?.ForceFlush(5_000);
        _tracer?.Dispose();
        _meter?.Dispose();
        _client?.Dispose();
    }

    // The SDK matches source and meter names without regard to case, so "Autopilot.*" would also take the simulator's
    // "autopilot.simulator.<service>" (autopilot demo runs it in this process): sources are named exactly, and meters
    // that match the wildcard only in another case are dropped.
    private static bool IsOtherAutopilotCase(string meter) =>
        meter.StartsWith("Autopilot.", StringComparison.OrdinalIgnoreCase) && !meter.StartsWith("Autopilot.", StringComparison.Ordinal);

    private static void Configure(OtlpExporterOptions exporter, OtlpExportOptions options, Uri endpoint, string path, HttpClient? client)
    {
        exporter.Protocol = options.Protocol == TelemetryProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;

        // OTLP/HTTP wants the signal's path; an endpoint given as a base URL gets it appended, as the SDK's own
        // OTEL_EXPORTER_OTLP_ENDPOINT does.
        exporter.Endpoint = options.Protocol == TelemetryProtocol.Http && endpoint.AbsolutePath is "/" or ""
            ? new Uri(endpoint, path)
            : endpoint;
        exporter.TimeoutMilliseconds = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds);
        if (!string.IsNullOrEmpty(options.Headers))
        {
            exporter.Headers = options.Headers;
        }

        if (client is not null)
        {
            exporter.HttpClientFactory = () => client;
        }
    }

    /// <summary>An HttpClient that also trusts the CA (or self-signed certificate) in <paramref name="caFile"/>.</summary>
    private static HttpClient TrustingClient(string caFile, TimeSpan timeout)
    {
        var trusted = new X509Certificate2Collection();
        trusted.ImportFromPemFile(caFile);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    if (errors == SslPolicyErrors.None)
                    {
                        return true;
                    }

                    if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(certificate as X509Certificate2 ?? new X509Certificate2(certificate));
                },
            },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
