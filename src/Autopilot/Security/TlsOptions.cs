using System.ComponentModel;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Autopilot.Host.Security;

/// <summary>
/// TLS for the listeners. Off unless a certificate is given. <see cref="CertFile"/> (with <see cref="KeyFile"/>)
/// serves both ports; <see cref="Grpc"/> and <see cref="Http"/> override it per port, or give only one port TLS.
/// gRPC over TLS negotiates HTTP/2 with ALPN.
/// </summary>
public sealed class TlsOptions
{
    /// <summary>Certificate file for both listeners: PEM (leaf first, then intermediates) or PKCS#12 (<c>.pfx</c>, <c>.p12</c>). Default none (no TLS).</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key file; null when <see cref="CertFile"/> is PKCS#12 or holds the key too.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    [PasswordPropertyText(true)]
    public string? Password { get; set; }

    /// <summary>Certificate of the gRPC listener, when it differs from the shared one.</summary>
    public TlsEndpointOptions Grpc { get; } = new();

    /// <summary>Certificate of the HTTP listener, when it differs from the shared one.</summary>
    public TlsEndpointOptions Http { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the key and the file when a certificate cannot be loaded.</summary>
    public void Validate()
    {
        using var grpc = LoadGrpc();
        using var http = LoadHttp();
    }

    /// <summary>The gRPC listener's certificate with its chain, or null for cleartext (h2c).</summary>
    public ServerCertificate? LoadGrpc() => Load(Grpc, "tls.grpc");

    /// <summary>The HTTP listener's certificate with its chain, or null for cleartext.</summary>
    public ServerCertificate? LoadHttp() => Load(Http, "tls.http");

    private ServerCertificate? Load(TlsEndpointOptions port, string portKey)
    {
        if (port.CertFile is not null)
        {
            return Load(port.CertFile, port.KeyFile, port.Password ?? Password, portKey);
        }

        if (port.KeyFile is not null)
        {
            throw new ArgumentException($"{portKey}.keyFile is set but {portKey}.certFile is not.");
        }

        if (CertFile is not null)
        {
            return Load(CertFile, KeyFile, Password, "tls");
        }

        if (KeyFile is not null)
        {
            throw new ArgumentException("tls.keyFile is set but tls.certFile is not.");
        }

        return null;
    }

    private static ServerCertificate Load(string certFile, string? keyFile, string? password, string key)
    {
        if (!File.Exists(certFile))
        {
            throw new ArgumentException($"{key}.certFile: the certificate file '{certFile}' does not exist.");
        }

        if (keyFile is not null && !File.Exists(keyFile))
        {
            throw new ArgumentException($"{key}.keyFile: the key file '{keyFile}' does not exist.");
        }

        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            var extension = Path.GetExtension(certFile);
            if (extension.Equals(".pfx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".p12", StringComparison.OrdinalIgnoreCase))
            {
                if (keyFile is not null)
                {
                    throw new ArgumentException($"{key}.keyFile: a PKCS#12 file ('{certFile}') carries its own key; remove keyFile.");
                }

                var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(certFile, password);
                certificate = all.FirstOrDefault(c => c.HasPrivateKey)
                    ?? throw new ArgumentException($"{key}.certFile: '{certFile}' holds no certificate with a private key.");
                foreach (var c in all)
                {
                    if (!ReferenceEquals(c, certificate))
                    {
                        chain.Add(c);
                    }
                }
            }
            else
            {
                var keyPath = keyFile ?? certFile;
                certificate = password is null
                    ? X509Certificate2.CreateFromPemFile(certFile, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(certFile, password, keyPath);
                chain.ImportFromPemFile(certFile);
                var leaf = chain[0];
                chain.RemoveAt(0);
                leaf.Dispose();
            }
        }
        catch (CryptographicException e)
        {
            var what = keyFile is null ? $"'{certFile}'" : $"'{certFile}' with the key '{keyFile}'";
            throw new ArgumentException($"{key}.certFile: cannot load the certificate {what}: {e.Message}", e);
        }

        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException($"{key}.keyFile: no private key for '{certFile}'; give keyFile (PEM) or a PKCS#12 file.");
        }

        return new ServerCertificate(certificate, chain);
    }
}
