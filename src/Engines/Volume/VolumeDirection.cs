namespace Autopilot.Engines.Volume;

/// <summary>Which changes in volume are findings.</summary>
public enum VolumeDirection
{
    /// <summary>Drops and spikes.</summary>
    Both = 0,

    /// <summary>Only drops (a sink or a batch job whose bursts are expected).</summary>
    Drop = 1,

    /// <summary>Only spikes (a dead-letter topic, an error log).</summary>
    Spike = 2,
}
