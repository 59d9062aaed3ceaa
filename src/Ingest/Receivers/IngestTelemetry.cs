using System.Diagnostics;

namespace Autopilot.Ingest.Receivers;

/// <summary>Spans of the ingest edge (activity source <c>Autopilot.Ingest</c>); they cost nothing unless self-telemetry listens.</summary>
public static class IngestTelemetry
{
    public const string SourceName = "Autopilot.Ingest";

    internal static readonly ActivitySource Source = new(SourceName);
}
