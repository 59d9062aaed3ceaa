using Anthropic;
using Microsoft.Extensions.AI;

namespace Autopilot.Rca.Explain;

/// <summary>Makes the <see cref="IChatClient"/> of the configured provider.</summary>
internal static class ChatClients
{
    public static IChatClient? Create(LlmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider)
        {
            case LlmProvider.Anthropic:
                // The official SDK ships an IChatClient adapter. Its retries would outlast our timeout: off.
                var client = options.BaseUrl is { } url
                    ? new AnthropicClient { ApiKey = options.ApiKey, MaxRetries = 0, BaseUrl = url.ToString().TrimEnd('/') }
                    : new AnthropicClient { ApiKey = options.ApiKey, MaxRetries = 0 };
                return client.AsIChatClient(options.EffectiveModel, options.MaxOutputTokens);
            case LlmProvider.OpenAi:
                return new OpenAiCompatibleChatClient(options.BaseUrl!, options.EffectiveModel, options.ApiKey);
            default:
                return null;
        }
    }
}
