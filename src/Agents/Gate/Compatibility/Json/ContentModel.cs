namespace Autopilot.Agents.Gate.Compatibility.Json;

/// <summary>
/// What an object schema says about properties it does not declare (Confluent's vocabulary): open
/// (<c>additionalProperties</c> absent or true), closed (false) or partially open (a schema).
/// </summary>
internal enum ContentModel
{
    Open,
    Closed,
    PartiallyOpen,
}
