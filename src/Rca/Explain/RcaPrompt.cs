namespace Autopilot.Rca.Explain;

/// <summary>
/// Exactly what the LLM explainer sends: the system and user messages, the model it asks, and what was cut to
/// keep the prompt within <see cref="LlmOptions.MaxPromptChars"/> (the same notes are inside the user message).
/// </summary>
public sealed record RcaPrompt(string Provider, string Model, string System, string User, int Characters, int MaxCharacters, IReadOnlyList<string> Truncated);
