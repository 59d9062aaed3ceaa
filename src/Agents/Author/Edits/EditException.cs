namespace Autopilot.Agents.Author.Edits;

/// <summary>An edit cannot be made to a file (it is malformed, of an unsupported kind, or lacks what the edit needs).</summary>
public sealed class EditException(string message) : Exception(message);
