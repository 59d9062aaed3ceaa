namespace Autopilot.Simulator.Faults;

/// <summary>The faults the simulator injects (issue 5's list). <see cref="FaultKinds"/> has their CLI names.</summary>
public enum FaultKind
{
    /// <summary>One service gets slower (extra time in the service itself); its callers get slower or time out.</summary>
    Latency,

    /// <summary>A new <c>service.version</c> is deployed, then a share of its requests fail with HTTP 500; callers fail with it.</summary>
    DeployErrors,

    /// <summary><c>process.cpu.utilization</c> of one service saturates and its requests queue (slower); callers get slower.</summary>
    CpuSaturation,

    /// <summary>A batch job stops running, so the dataset it writes goes stale.</summary>
    StaleDataset,

    /// <summary>A job writes its output dataset with a changed schema; the downstream job reading it fails on every run.</summary>
    SchemaChange,

    /// <summary>Statements on one PostgreSQL table get slow (lock contention); the services using it, and their callers, get slower.</summary>
    SlowDatabase,
}
