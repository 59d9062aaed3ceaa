namespace Autopilot.Engines.Anomaly;

/// <summary>Which spans count against an SLO ("bad" events).</summary>
public enum SloBadDefinition
{
    /// <summary>Span status error or an HTTP 5xx status code (the default).</summary>
    ErrorOr5xx = 0,

    /// <summary>Span status error only.</summary>
    Error = 1,

    /// <summary>HTTP 5xx status code only.</summary>
    Http5xx = 2,
}
