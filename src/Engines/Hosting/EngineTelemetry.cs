using System.Diagnostics;

namespace Autopilot.Engines.Hosting;

/// <summary>Spans of the engine host (activity source <c>Autopilot.Engines</c>); they cost nothing unless self-telemetry listens.</summary>
public static class EngineTelemetry
{
    public const string SourceName = "Autopilot.Engines";

    internal static readonly ActivitySource Source = new(SourceName);
}
