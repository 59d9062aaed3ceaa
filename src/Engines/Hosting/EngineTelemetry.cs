using System.Diagnostics;

namespace Autopilot.Engines.Hosting;

/// <summary>Spans of the engine host (activity source <c>Autopilot.Engines</c>); they cost nothing unless self-telemetry listens.</summary>
internal static class EngineTelemetry
{
    public static readonly ActivitySource Source = new("Autopilot.Engines");
}
