namespace Autopilot.Host.Telemetry;

/// <summary>Autopilot's own log.</summary>
public sealed class LoggingOptions
{
    /// <summary><c>auto</c> (default: text on a terminal, JSON lines otherwise), <c>json</c> or <c>text</c>.</summary>
    public LogFormat Format { get; set; } = LogFormat.Auto;

    /// <summary>Least severe entry written: trace, debug, information (default), warning, error, critical, none.</summary>
    public LogLevel Level { get; set; } = LogLevel.Information;

    /// <summary>The format <see cref="LogFormat.Auto"/> stands for in this process.</summary>
    public LogFormat EffectiveFormat => Format != LogFormat.Auto ? Format : Console.IsOutputRedirected ? LogFormat.Json : LogFormat.Text;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Format))
        {
            throw new ArgumentException("logging.format must be auto, json or text.");
        }

        if (!Enum.IsDefined(Level))
        {
            throw new ArgumentException("logging.level must be trace, debug, information, warning, error, critical or none.");
        }
    }
}
