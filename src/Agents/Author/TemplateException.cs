namespace Autopilot.Agents.Author;

/// <summary>A template is missing, malformed or cannot be rendered with the change's variables; the message names which and why.</summary>
public sealed class TemplateException(string message) : Exception(message);
