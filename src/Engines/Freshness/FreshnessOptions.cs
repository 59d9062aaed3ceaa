namespace Autopilot.Engines.Freshness;

/// <summary>Options of the freshness engine. Every default lives here.</summary>
public sealed class FreshnessOptions
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
