namespace Autopilot.Simulator.Accuracy;

/// <summary>The parts of an incident (<c>GET /api/incidents</c>) the accuracy suite reads; <see cref="SuspectedRoots"/> in the server's order (best first).</summary>
public sealed record IncidentView(string Id, long OpenedUnixNano, IReadOnlyList<string> FindingIds, IReadOnlyList<string> SuspectedRoots);
