namespace Autopilot.LoadGen;

/// <summary>How one request ended, in the ingest edge's vocabulary.</summary>
internal enum Outcome
{
    Ok,
    ResourceExhausted,
    Unavailable,
    Other,

    /// <summary>No answer within the per-request deadline, or the transport failed.</summary>
    TimeoutOrError,
}
