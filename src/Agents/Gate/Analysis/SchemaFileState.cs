namespace Autopilot.Agents.Gate.Analysis;

/// <summary>What happened to one schema file between base and head.</summary>
internal enum SchemaFileState
{
    Added,
    Unchanged,
    Compared,
    Deleted,

    /// <summary>The base version could not be parsed; nothing to compare against.</summary>
    BaseUnreadable,
}
