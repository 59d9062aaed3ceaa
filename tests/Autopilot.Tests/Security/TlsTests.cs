using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Autopilot.Host.Hosting;
using Autopilot.Host.Tests.Hosting;
using Autopilot.Host.Tests.Ingest;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Security;

/// <summary>Both listeners over TLS with a certificate made in the test, reached by the official OTel exporter and HttpClient.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly SelfSignedCertificate _certificate = new();

    [Theory]
    [InlineData(OtlpExportProtocol.Grpc)]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    public async Task OtelExporter_OverTls_Arrives(OtlpExportProtocol protocol)
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Tls.CertFile = _certificate.CertFile;
            o.Tls.KeyFile = _certificate.KeyFile;
        });
        var service = $"tls-{protocol}".ToLowerInvariant();
        var sourceName = "autopilot.tests." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        var endpoint = protocol == OtlpExportProtocol.Grpc
            ? new Uri($"https://127.0.0.1:{server.GrpcPort}")
            : new Uri($"https://127.0.0.1:{server.HttpPort}/v1/traces");
        using (var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddSource(sourceName)
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                o.Endpoint = endpoint;
                o.ExportProcessorType = ExportProcessorType.Simple;
                o.TimeoutMilliseconds = 30_000;
                o.HttpClientFactory = () => new HttpClient(_certificate.TrustingHandler());
            })
            .Build())
        {
            for (var i = 0; i < 12; i++)
            {
                using var _ = source.StartActivity("work");
            }

            Assert.True(tracer.ForceFlush(30_000));
        }

        using var https = new HttpClient(_certificate.TrustingHandler()) { BaseAddress = new Uri($"https://127.0.0.1:{server.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string body;
        do
        {
            using var response = await https.GetAsync(new Uri($"/api/assets/urn:autopilot:service:default:{service}", UriKind.Relative));
            body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && body.Contains("\"spans\":12", StringComparison.Ordinal))
            {
                break;
            }

            await Task.Delay(50);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Contains("\"spans\":12", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GrpcListener_OverTls_NegotiatesHttp2WithAlpn_AndRefusesCleartext()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Tls.CertFile = _certificate.PfxFile;
            o.Tls.Password = "pfx-pass";
        });

        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.GrpcPort);
        await using var ssl = new SslStream(tcp.GetStream());
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == _certificate.Certificate.GetCertHashString(),
        });
        Assert.Equal(SslApplicationProtocol.Http2, ssl.NegotiatedApplicationProtocol);

        // The HTTP port too is TLS only now: a cleartext request does not get an answer.
        using var plain = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plain.GetAsync(new Uri($"http://127.0.0.1:{server.HttpPort}/healthz")));
    }

    [Fact]
    public async Task HttpsClient_WithoutTrust_IsRefusedByTheClient()
    {
        await using var server = await TestServer.StartAsync(o =>
        {
            o.Tls.CertFile = _certificate.CertFile;
            o.Tls.KeyFile = _certificate.KeyFile;
        });
        using var https = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var e = await Assert.ThrowsAnyAsync<HttpRequestException>(() => https.GetAsync(new Uri($"https://127.0.0.1:{server.HttpPort}/healthz")));
        Assert.IsType<AuthenticationException>(e.InnerException);
    }

    [Fact]
    public async Task CreateAsync_MissingKeyFile_NamesTheKeyAndTheFile()
    {
        using var dir = new TempDirectory();
        var options = new ServerOptions { GrpcPort = 0, HttpPort = 0, DataDirectory = dir.Path };
        options.Tls.CertFile = _certificate.CertFile;
        options.Tls.KeyFile = Path.Combine(dir.Path, "missing.key");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => AutopilotServer.CreateAsync(options));

        Assert.Equal($"tls.keyFile: the key file '{options.Tls.KeyFile}' does not exist.", e.Message);
    }

    [Fact]
    public void Serve_WithAMissingCertificate_ExitsWithUsageErrorNamingTheFile()
    {
        using var dir = new TempDirectory();
        var missing = Path.Combine(dir.Path, "nope.crt");
        using var process = AutopilotProcess.Start($"serve --grpc-port 0 --http-port 0 --data-dir {dir.Path} --tls-cert {missing} --tls-key {_certificate.KeyFile}");

        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)));
        var stderr = process.StandardError.ReadToEnd();
        Assert.Equal(2, process.ExitCode);
        Assert.Equal($"autopilot serve: tls.certFile: the certificate file '{missing}' does not exist (--tls-cert)\n", stderr);
    }

    public void Dispose() => _certificate.Dispose();
}
