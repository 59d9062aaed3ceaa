using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Security;

/// <summary>A self-signed certificate for 127.0.0.1 / localhost made in the test, written as PEM files and a PFX.</summary>
internal sealed class SelfSignedCertificate : IDisposable
{
    private readonly TempDirectory _dir = new();

    public SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=autopilot-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        CertFile = Path.Combine(_dir.Path, "tls.crt");
        KeyFile = Path.Combine(_dir.Path, "tls.key");
        PfxFile = Path.Combine(_dir.Path, "tls.pfx");
        File.WriteAllText(CertFile, Certificate.ExportCertificatePem());
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(PfxFile, Certificate.Export(X509ContentType.Pfx, "pfx-pass"));
    }

    public X509Certificate2 Certificate { get; }

    public string CertFile { get; }

    public string KeyFile { get; }

    public string PfxFile { get; }

    /// <summary>A handler that trusts exactly this certificate (as a client configured with a custom CA would).</summary>
    public SocketsHttpHandler TrustingHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, presented, _, errors) =>
            {
                if (presented is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(Certificate);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(presented as X509Certificate2 ?? new X509Certificate2(presented));
            },
        },
    };

    public void Dispose()
    {
        Certificate.Dispose();
        _dir.Dispose();
    }
}
