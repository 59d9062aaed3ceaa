namespace Autopilot.Engines.Anomaly;

/// <summary>Which method <see cref="AnomalyDetector"/> scores a series with.</summary>
public enum AnomalyDetectorMode
{
    /// <summary>Six surprise signals through an HTM-style likelihood layer, with the seasonal gate and one alert per episode.</summary>
    Surprise,

    /// <summary>
    /// ARTime's approach alone: windows of downsampled values in an adaptive-resonance network whose vigilance adapts;
    /// a window that matches no category after the probation is an anomaly (see benchmarks/RESULTS.md for how it scores).
    /// </summary>
    Resonance,
}
