namespace Autopilot.Simulator.Telemetry;

/// <summary>What the simulated services' exporters and the lineage client sent: requests, retries after 429/503, and requests that finally failed. Thread-safe.</summary>
public sealed class ExportStats
{
    private long _requests;
    private long _retries;
    private long _failures;
    private string? _lastFailure;

    /// <summary>HTTP requests that were answered with success.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests sent again because the server answered 429 or 503 (overloaded).</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Requests given up on (an error answer, no answer, or still refused when the retry time ran out): their telemetry is lost.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Why the latest failure failed, for the error message.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    internal void Succeeded() => Interlocked.Increment(ref _requests);

    internal void Retried() => Interlocked.Increment(ref _retries);

    internal void Failed(string reason)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastFailure, reason);
    }
}
