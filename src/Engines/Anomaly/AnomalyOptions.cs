namespace Autopilot.Engines.Anomaly;

/// <summary>Options of the anomaly engine. Every default lives here.</summary>
public sealed class AnomalyOptions
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
