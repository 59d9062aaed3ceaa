namespace Autopilot.Simulator.Accuracy;

/// <summary>The parts of a finding (<c>GET /api/findings</c>) the accuracy suite reads.</summary>
public sealed record FindingView(string Id, string Urn, string Kind, double Score, long TimeUnixNano);
