namespace Autopilot.Ingest.Signals;

/// <summary>Outcome carried by a signal: span status, log severity class, run state.</summary>
public enum SignalStatus : byte
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}
