namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>Words for the reader and the writer of one direction, so every message says which version is which.</summary>
internal readonly record struct Sides(CompatibilityDirection Direction)
{
    /// <summary>The reader is the head (new) schema for BACKWARD, the base (old) schema for FORWARD.</summary>
    public bool ReaderIsHead => Direction == CompatibilityDirection.Backward;

    public string Reader => ReaderIsHead ? "new" : "old";

    public string Writer => ReaderIsHead ? "old" : "new";

    /// <summary>"BACKWARD (new schema reads old data)" or "FORWARD (old schema reads new data)".</summary>
    public string Prefix => ReaderIsHead ? "BACKWARD (new schema reads old data)" : "FORWARD (old schema reads new data)";
}
