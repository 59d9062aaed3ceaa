using Microsoft.AspNetCore.Builder;

namespace Autopilot.Ingest.Receivers;

/// <summary>Declares the role an endpoint needs when the default rule of <see cref="BearerTokenAuth"/> does not fit.</summary>
public static class AuthEndpointExtensions
{
    /// <summary>
    /// Requests to this endpoint need <paramref name="role"/> (a POST that only reads, such as an RCA query,
    /// can say <see cref="AccessRole.Read"/>; a GET that changes state would say <see cref="AccessRole.Admin"/>).
    /// </summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, AccessRole role)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new RequiredRoleMetadata(role));
    }
}
