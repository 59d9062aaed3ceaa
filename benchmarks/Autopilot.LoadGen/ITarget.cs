namespace Autopilot.LoadGen;

/// <summary>
/// Sends pre-encoded requests and classifies the answers. A request is named by the worker sending it and
/// its sequence number within that worker, so targets that need per-sender order (remote write: each
/// worker owns its series, timestamps rise with the sequence) can keep it. Thread-safe.
/// </summary>
internal interface ITarget
{
    /// <summary>False once a worker has sent every request prepared for it (the request-count bound).</summary>
    bool HasRequest(int worker, long sequence);

    /// <summary>Items (spans, samples) that request carries.</summary>
    int ItemsIn(int worker, long sequence);

    Task<Outcome> SendAsync(int worker, long sequence, CancellationToken cancellationToken);
}
