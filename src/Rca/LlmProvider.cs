namespace Autopilot.Rca;

/// <summary>Which model explains an analysis besides the rules.</summary>
public enum LlmProvider
{
    /// <summary>No LLM: the deterministic rules explainer answers.</summary>
    None,

    /// <summary>Anthropic's Messages API through the official <c>Anthropic</c> SDK's <c>IChatClient</c>.</summary>
    Anthropic,

    /// <summary>Any server speaking OpenAI's <c>/v1/chat/completions</c> (OpenAI, Ollama, vLLM, llama.cpp).</summary>
    OpenAi,
}
