namespace Autopilot.Agents.Gate.Compatibility;

/// <summary>One reason two schema versions are not compatible.</summary>
/// <param name="Direction">Which reader/writer pair fails.</param>
/// <param name="Path">Where in the schema, e.g. <c>Order.lines[].price</c>, <c>#/properties/email</c>, <c>orders.v1.Order.3</c>.</param>
/// <param name="Rule">The rule's id, as the registry or Buf names it (e.g. <c>READER_FIELD_MISSING_DEFAULT_VALUE</c>).</param>
/// <param name="Message">One sentence naming the path, what changed and why it breaks.</param>
/// <param name="Line">Line in the head schema file the finding points at, when known.</param>
public sealed record Incompatibility(CompatibilityDirection Direction, string Path, string Rule, string Message, int? Line);
