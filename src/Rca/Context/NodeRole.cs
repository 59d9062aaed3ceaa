namespace Autopilot.Rca.Context;

/// <summary>Why a node is in an analysis' graph.</summary>
internal enum NodeRole
{
    /// <summary>It has findings (or is the symptom asked about).</summary>
    Symptom,

    /// <summary>A dependency of a symptom, reached against the fault direction: a possible cause.</summary>
    Upstream,
}
