namespace Autopilot.Agents.Scout.Facts;

/// <summary>One service of a docker-compose file.</summary>
/// <param name="Name">The compose service name.</param>
/// <param name="BuildContext">Its build context, repository-relative; null when it only runs an image.</param>
/// <param name="Image">The image, when given.</param>
/// <param name="FirstLine">First line of its block.</param>
/// <param name="LastLine">Last line of its block.</param>
internal sealed record ComposeService(string Name, string? BuildContext, string? Image, int FirstLine, int LastLine)
{
    /// <summary>An OpenTelemetry Collector (or Autopilot itself) that services could export OTLP to.</summary>
    public bool IsCollector =>
        (Image is not null && (Image.Contains("opentelemetry-collector", StringComparison.OrdinalIgnoreCase) || Image.Contains("otelcol", StringComparison.OrdinalIgnoreCase) || Image.Contains("autopilot", StringComparison.OrdinalIgnoreCase)))
        || Name is "otel-collector" or "otelcol" or "collector" or "autopilot";
}
