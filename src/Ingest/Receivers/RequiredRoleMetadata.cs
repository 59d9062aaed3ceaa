namespace Autopilot.Ingest.Receivers;

/// <summary>
/// Endpoint metadata naming the role a request needs, overriding <see cref="BearerTokenAuth"/>'s default rule
/// (ingest paths: ingest; GET: read; other methods: admin). Add it with <see cref="AuthEndpointExtensions.RequireRole{TBuilder}"/>.
/// </summary>
public sealed record RequiredRoleMetadata(AccessRole Role);
