using System.Globalization;
using Autopilot.Rca.Answers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Autopilot.Rca.Explain;

/// <summary>
/// Asks a model (any <see cref="IChatClient"/>) to explain an analysis. It sends the bounded prompt of
/// <see cref="PromptBuilder"/>, waits at most <see cref="LlmOptions.Timeout"/>, validates the answer, and keeps
/// the facts its own: confidences, evidence, timeline and blast radius come from the analysis, the model chooses
/// among the candidates and writes the text. On a timeout, an error or an invalid answer the rules explainer
/// answers instead, and <see cref="RcaAnswer.ExplainerFallback"/> says why.
/// </summary>
internal sealed class LlmExplainer(IChatClient client, LlmOptions options, ILogger logger)
{
    public string Name { get; } = $"llm:{PromptBuilder.ProviderName(options.Provider)}/{options.EffectiveModel}";

    public async Task<RcaAnswer> ExplainAsync(Analysis analysis, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        if (analysis.Ranking.Suspects.Count == 0)
        {
            return Fallback(analysis, "no suspects to explain; the model was not asked", "empty");
        }

        var prompt = PromptBuilder.Build(analysis, options);
        var chat = new ChatOptions
        {
            ModelId = options.EffectiveModel,
            Temperature = 0,
            MaxOutputTokens = options.MaxOutputTokens,

            // Anthropic's adapter gets the schema in the system message only: structured output is not on every model.
            ResponseFormat = options.Provider == LlmProvider.Anthropic ? null : ChatResponseFormat.ForJsonSchema(PromptBuilder.SchemaElement, "rca_explanation"),
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Timeout);
        ChatResponse response;
        try
        {
            response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, prompt.System), new ChatMessage(ChatRole.User, prompt.User)], chat, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fallback(analysis, string.Create(CultureInfo.InvariantCulture, $"{Name} did not answer within {options.Timeout.TotalSeconds:0.###} s"), "timeout");
        }
#pragma warning disable CA1031 // Whatever a provider SDK throws (HTTP, protocol, auth, rate limit), the rules answer instead: that is this class's contract.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return Fallback(analysis, $"{Name} failed: {e.GetType().Name}: {Short(e.Message)}", "error");
        }

        if (!LlmAnswerValidator.TryParse(response.Text, analysis, out var explanation, out var error))
        {
            return Fallback(analysis, $"{Name} answered outside the schema: {error}", "invalid");
        }

        RcaMetrics.Explanations.Add(1, new KeyValuePair<string, object?>("explainer", "llm"), new KeyValuePair<string, object?>("outcome", "ok"));
        var facts = RulesExplainer.Explain(analysis);
        var bySuspect = analysis.Ranking.Suspects.ToDictionary(s => s.Urn, StringComparer.Ordinal);
        var causes = explanation!.RootCauses.Select(c => new RootCause(c.Urn, bySuspect[c.Urn].Confidence, c.Reasons, bySuspect[c.Urn].Evidence)).ToList();
        return facts with
        {
            Summary = explanation.Summary,
            RootCauses = causes,
            Actions = explanation.Actions,
            NextChecks = explanation.NextChecks,
            StakeholderUpdate = explanation.StakeholderUpdate,
            Explainer = response.ModelId is { Length: > 0 } model && model != options.EffectiveModel ? $"{Name} ({model})" : Name,
        };
    }

    private RcaAnswer Fallback(Analysis analysis, string reason, string outcome)
    {
        RcaMetrics.Explanations.Add(1, new KeyValuePair<string, object?>("explainer", "llm"), new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome != "empty")
        {
            RcaLog.LlmFellBack(logger, reason);
        }

        return RulesExplainer.Explain(analysis, reason);
    }

    private static string Short(string text) => text.Length <= 300 ? text : text[..299] + "…";
}
