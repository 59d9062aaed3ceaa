namespace Autopilot.Host.Commands;

/// <summary>
/// Writes a long-running command's progress (Information and above) to its error stream, one line each,
/// so stdout keeps only the report a script may parse.
/// </summary>
internal sealed class ProgressLogger(TextWriter writer) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        lock (writer)
        {
            writer.WriteLine("autopilot validate: " + formatter(state, exception));
        }
    }
}
