using System.ComponentModel;

namespace Autopilot.Host.Security;

/// <summary>A certificate for one listener, overriding <see cref="TlsOptions"/>'s shared one.</summary>
public sealed class TlsEndpointOptions
{
    /// <summary>Certificate file: PEM (leaf first, then intermediates) or PKCS#12 (<c>.pfx</c>, <c>.p12</c>). Null: use the shared one.</summary>
    public string? CertFile { get; set; }

    /// <summary>PEM private key file; null when <see cref="CertFile"/> is PKCS#12 or holds the key too.</summary>
    public string? KeyFile { get; set; }

    /// <summary>Password of the PKCS#12 file or of an encrypted PEM key.</summary>
    [PasswordPropertyText(true)]
    public string? Password { get; set; }
}
