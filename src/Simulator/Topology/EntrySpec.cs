namespace Autopilot.Simulator.Topology;

/// <summary>A kind of user request arriving at the entry service, with its share of the traffic.</summary>
public sealed record EntrySpec(string Operation, double Weight);
