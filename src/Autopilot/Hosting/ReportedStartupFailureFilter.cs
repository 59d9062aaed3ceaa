using Microsoft.Extensions.Logging;

namespace Autopilot.Host.Hosting;

/// <summary>
/// Wraps a logger provider and leaves out the one event <c>autopilot serve</c> reports itself: the generic host's
/// "Hosting failed to start" when Kestrel could not bind a port (serve then prints one line naming the address and exits
/// 1, so the host's copy with its stack trace is noise on a console). Every other event passes, including the host's
/// other startup failures and background-service faults.
/// </summary>
internal sealed class ReportedStartupFailureFilter(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    private const string HostCategory = "Microsoft.Extensions.Hosting.Internal.Host";

    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return string.Equals(categoryName, HostCategory, StringComparison.Ordinal) ? new Filtered(logger) : logger;
    }

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

    public void Dispose() => inner.Dispose();

    /// <summary>Whether <paramref name="exception"/> is Kestrel's failure to bind an address (what serve reports in one line).</summary>
    internal static bool IsBindFailure(Exception? exception) =>
        exception is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException }
        || (exception is IOException io && io.Message.StartsWith("Failed to bind to address", StringComparison.Ordinal));

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsBindFailure(exception))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
