namespace Autopilot.Simulator.Topology;

/// <summary>
/// A PostgreSQL statement (<paramref name="Operation"/>: SELECT, INSERT, UPDATE) on <paramref name="Table"/> of
/// database <paramref name="Database"/>, taking about <paramref name="MedianMs"/>. Emitted as a client span with
/// <c>db.system.name</c>, <c>db.namespace</c>, <c>db.collection.name</c> and <c>db.operation.name</c>.
/// </summary>
public sealed record DbStep(string Database, string Table, string Operation, double MedianMs) : StepSpec;
