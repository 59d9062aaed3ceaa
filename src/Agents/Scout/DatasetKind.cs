namespace Autopilot.Agents.Scout;

/// <summary>A topic (messaging) or a table (database). JSON: <c>topic</c>, <c>table</c>.</summary>
public enum DatasetKind
{
    Topic,
    Table,
}
