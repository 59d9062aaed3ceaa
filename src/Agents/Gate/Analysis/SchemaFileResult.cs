using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Gate.Analysis;

/// <summary>One schema file's comparison: its format, the level that applied and what was found.</summary>
internal sealed class SchemaFileResult(string path, SchemaFormat format, CompatibilityLevel level, SchemaFileState state)
{
    public string Path { get; } = path;

    public SchemaFormat Format { get; } = format;

    public CompatibilityLevel Level { get; } = level;

    public SchemaFileState State { get; } = state;

    /// <summary>Earlier versions compared against (1, or more for a _TRANSITIVE level).</summary>
    public int VersionsCompared { get; init; }

    public List<Incompatibility> Found { get; } = [];

    public string? Note { get; init; }
}
