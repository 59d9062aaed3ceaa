namespace Autopilot.Engines.Incidents;

/// <summary>An asset suspected to be where an incident started, with a score in [0,1] and the reasons.</summary>
public sealed record SuspectedRoot(string Urn, double Score, IReadOnlyList<string> Reasons);
