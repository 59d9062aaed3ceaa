namespace Autopilot.Agents.Author.Edits;

internal enum InsertStatus
{
    Inserted,
    Unchanged,
    AnchorMissing,
}
