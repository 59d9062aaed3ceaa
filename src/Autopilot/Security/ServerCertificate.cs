using System.Security.Cryptography.X509Certificates;

namespace Autopilot.Host.Security;

/// <summary>A listener's certificate (with its private key) and the intermediates sent with it.</summary>
public sealed class ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain) : IDisposable
{
    public X509Certificate2 Certificate { get; } = certificate;

    public X509Certificate2Collection Chain { get; } = chain;

    public void Dispose()
    {
        Certificate.Dispose();
        foreach (var c in Chain)
        {
            c.Dispose();
        }
    }
}
