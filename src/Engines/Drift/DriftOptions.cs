namespace Autopilot.Engines.Drift;

/// <summary>Options of the drift engine. Every default lives here.</summary>
public sealed class DriftOptions
{
    /// <summary>Whether the engine runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }
    }
}
