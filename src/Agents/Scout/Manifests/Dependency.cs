namespace Autopilot.Agents.Scout.Manifests;

/// <summary>One declared dependency.</summary>
/// <param name="Id">Normalised id: Maven <c>group:artifact</c>, Gradle plugins as <c>plugin:&lt;id&gt;</c>, Go module path, Python name (lowercase, dashes), npm name, NuGet id; SDKs and framework references as <c>sdk:&lt;name&gt;</c> / <c>framework:&lt;name&gt;</c>.</param>
/// <param name="File">The build file declaring it, repository-relative.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Found">The line as written, trimmed.</param>
/// <param name="Scope">Runtime, dev or test.</param>
internal sealed record Dependency(string Id, string File, int Line, string Found, DependencyScope Scope);
