namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>What <see cref="NabBenchmark.Run"/> reads, writes and which detector settings it uses.</summary>
public sealed class NabBenchmarkOptions
{
    /// <summary>NAB data folder holding <c>&lt;category&gt;/&lt;name&gt;.csv</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Folder receiving <c>&lt;category&gt;/&lt;name&gt;.csv</c> with <c>timestamp,value,anomaly_score</c>.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary><c>windows.json</c>; default <c>&lt;data&gt;/../windows.json</c>.</summary>
    public string? WindowsPath { get; init; }

    /// <summary><c>profiles.json</c>; default <c>&lt;data&gt;/../profiles.json</c>.</summary>
    public string? ProfilesPath { get; init; }

    /// <summary>Detector settings, one set for every file.</summary>
    public AnomalyDetectorOptions Detector { get; init; } = new();

    internal string ResolvedWindowsPath => WindowsPath ?? Path.Combine(DataDirectory, "..", "windows.json");

    internal string ResolvedProfilesPath => ProfilesPath ?? Path.Combine(DataDirectory, "..", "profiles.json");
}
