namespace Autopilot.Rca;

/// <summary>Which explainer answers: the configured one (LLM when set up, else rules), the rules, or the LLM.</summary>
public enum RcaExplainerChoice
{
    Auto,
    Rules,
    Llm,
}
