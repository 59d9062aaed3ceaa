namespace Autopilot.Rca.Graph.Building;

/// <summary>What a sighting did to the current version of a node or edge.</summary>
internal enum Sighting : byte
{
    /// <summary>Nothing a reader sees (last-seen may have moved).</summary>
    Same,

    /// <summary>Valid-from moved earlier, or a version closed as idle was reopened.</summary>
    Changed,

    /// <summary>Longer than the idle timeout since the last sighting: the current version ends, a new one starts.</summary>
    Gap,
}
