using System.ComponentModel;

namespace Autopilot.Ingest.Receivers;

/// <summary>
/// One bearer token and its role. The token itself comes from exactly one of <see cref="Token"/>,
/// <see cref="File"/> or <see cref="Env"/>, so it need not be written into the configuration file.
/// </summary>
public sealed class AuthTokenOptions
{
    /// <summary>The token. Prefer <see cref="File"/> or <see cref="Env"/> in files that are shared.</summary>
    [PasswordPropertyText(true)]
    public string? Token { get; set; }

    /// <summary>A file holding the token (surrounding whitespace and a trailing newline are ignored), e.g. a mounted secret.</summary>
    public string? File { get; set; }

    /// <summary>An environment variable holding the token.</summary>
    public string? Env { get; set; }

    /// <summary>What the token may do: <c>ingest</c>, <c>read</c> or <c>admin</c>. Required.</summary>
    public AccessRole? Role { get; set; }
}
