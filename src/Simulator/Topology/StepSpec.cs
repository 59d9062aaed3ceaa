namespace Autopilot.Simulator.Topology;

/// <summary>One thing an operation does while it handles a request, in order: call a service, query a table, publish a message.</summary>
public abstract record StepSpec;
