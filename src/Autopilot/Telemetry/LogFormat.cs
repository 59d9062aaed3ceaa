namespace Autopilot.Host.Telemetry;

/// <summary>How Autopilot writes its log to standard output.</summary>
public enum LogFormat
{
    /// <summary>Text on a terminal, JSON lines otherwise (a service manager, a container, a pipe).</summary>
    Auto,

    /// <summary>One JSON object per line, with scopes (request id, trace id, span id).</summary>
    Json,

    /// <summary>One human-readable line per entry.</summary>
    Text,
}
