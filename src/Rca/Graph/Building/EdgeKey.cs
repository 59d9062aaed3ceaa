namespace Autopilot.Rca.Graph.Building;

/// <summary>An edge by its ends' dense node ids: hashing three small values instead of two URNs.</summary>
internal readonly record struct EdgeKey(int From, int To, EdgeKind Kind);
