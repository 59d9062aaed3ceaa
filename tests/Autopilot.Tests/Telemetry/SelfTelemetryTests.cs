using System.Text;
using Autopilot.Host.Telemetry;
using Autopilot.Host.Tests.Ingest;

namespace Autopilot.Host.Tests.Telemetry;

/// <summary>One Autopilot exports its own traces and metrics (OpenTelemetry SDK, OTLP) to a second one, which ingests them.</summary>
[Collection(SelfTelemetryCollection.Name)]
public sealed class SelfTelemetryTests
{
    [Theory]
    [InlineData(TelemetryProtocol.Grpc)]
    [InlineData(TelemetryProtocol.Http)]
    public async Task SelfTelemetry_ExportedToASecondServer_ArrivesAsServiceAutopilot(TelemetryProtocol protocol)
    {
        await using var receiver = await TestServer.StartAsync();
        await using (var observed = await TestServer.StartAsync(o =>
        {
            o.Telemetry.Otlp.Endpoint = protocol == TelemetryProtocol.Grpc ? receiver.GrpcEndpoint : receiver.HttpEndpoint;
            o.Telemetry.Otlp.Protocol = protocol;
            o.Telemetry.MetricsInterval = TimeSpan.FromMilliseconds(200);
            o.Telemetry.ServiceName = "autopilot";
        }))
        {
            for (var i = 0; i < 3; i++)
            {
                const string json = """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";
                using var content = new StringContent(json, Encoding.UTF8, "application/json");
                using var response = await observed.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
                response.EnsureSuccessStatusCode();
            }

            // Metrics leave every 200 ms; wait for them while the observed server runs.
            await receiver.WaitForAssetAsync("urn:autopilot:service:default:autopilot", "metrics", 1);
        }

        // Disposing the observed server flushes its spans (the ingest requests above among them).
        var asset = await receiver.WaitForAssetAsync("urn:autopilot:service:default:autopilot", "spans", 3);
        Assert.True(asset.GetProperty("spans").GetInt64() >= 3);
        Assert.True(asset.GetProperty("metrics").GetInt64() >= 1);
    }

    [Fact]
    public async Task SelfTelemetry_LeavesOutOtherLibrariesSourcesWhoseNamesDifferOnlyInCase()
    {
        // The SDK matches source names without regard to case, so "Autopilot.*" also took the simulator's
        // "autopilot.simulator.<service>" spans (autopilot demo runs the simulator in the server's process).
        await using var receiver = await TestServer.StartAsync();
        await using (var observed = await TestServer.StartAsync(o =>
        {
            o.Telemetry.Otlp.Endpoint = receiver.HttpEndpoint;
            o.Telemetry.Otlp.Protocol = TelemetryProtocol.Http;
            o.Telemetry.ServiceName = "autopilot";
        }))
        {
            using var foreign = new System.Diagnostics.ActivitySource("autopilot.simulator.payment");
            for (var i = 0; i < 500; i++)
            {
                foreign.StartActivity("charge")?.Dispose();
            }

            const string json = """{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"stringValue":"hello"}}]}]}]}""";
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await observed.Http.PostAsync(new Uri("/v1/logs", UriKind.Relative), content);
            response.EnsureSuccessStatusCode();
        }

        // Disposing the observed server flushes its spans in one export: its own request spans arrive, the foreign
        // 500 do not (they did: 508 spans).
        var asset = await receiver.WaitForAssetAsync("urn:autopilot:service:default:autopilot", "spans", 1);
        Assert.InRange(asset.GetProperty("spans").GetInt64(), 1, 20);
    }

    [Fact]
    public async Task SelfTelemetry_ToATlsEndpoint_TrustsTheConfiguredCertificateFile()
    {
        using var certificate = new Security.SelfSignedCertificate();
        await using var receiver = await TestServer.StartAsync(o =>
        {
            o.Tls.CertFile = certificate.CertFile;
            o.Tls.KeyFile = certificate.KeyFile;
        });
        await using (var observed = await TestServer.StartAsync(o =>
        {
            o.Telemetry.Otlp.Endpoint = new Uri($"https://127.0.0.1:{receiver.GrpcPort}");
            o.Telemetry.Otlp.CertificateFile = certificate.CertFile;
            o.Telemetry.MetricsInterval = TimeSpan.FromMilliseconds(200);
            o.Telemetry.ServiceName = "autopilot-tls";
        }))
        {
            using var https = new HttpClient(certificate.TrustingHandler()) { BaseAddress = new Uri($"https://127.0.0.1:{receiver.HttpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            var deadline = DateTime.UtcNow.AddSeconds(30);
            var found = false;
            while (!found && DateTime.UtcNow < deadline)
            {
                using var response = await https.GetAsync(new Uri("/api/assets/urn:autopilot:service:default:autopilot-tls", UriKind.Relative));
                found = response.IsSuccessStatusCode;
                if (!found)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(found, "the observed server's metrics never reached the TLS receiver");
        }
    }
}

/// <summary>
/// Runs its tests alone: an observed server's tracer listens to every "Autopilot.*" activity source in the process, so
/// requests other tests send to their own servers meanwhile would arrive among its spans (a count of 180 instead of a
/// handful was seen).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SelfTelemetryCollection
{
    public const string Name = "self-telemetry";
}
