using Autopilot.Rca.Explain;

namespace Autopilot.Rca.Tests.Explain;

public sealed class LlmOptionsTests
{
    [Theory]
    [InlineData("", "", "", LlmProvider.None, null)]
    [InlineData("sk-ant", "", "", LlmProvider.Anthropic, "sk-ant")]
    [InlineData("sk-ant", "http://127.0.0.1:11434", "", LlmProvider.OpenAi, null)]
    [InlineData("sk-ant", "http://127.0.0.1:11434", "anthropic", LlmProvider.Anthropic, "sk-ant")]
    [InlineData("", "", "rules", LlmProvider.None, null)]
    public void FromEnvironment_PicksTheProviderAndItsKey(string anthropicKey, string baseUrl, string provider, LlmProvider expected, string? key)
    {
        var env = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = anthropicKey, ["AUTOPILOT_LLM_BASE_URL"] = baseUrl, ["AUTOPILOT_LLM_PROVIDER"] = provider };
        var options = new LlmOptions();

        options.FromEnvironment(name => env.GetValueOrDefault(name));

        Assert.Equal(expected, options.Provider);
        Assert.Equal(key, options.ApiKey);
    }

    [Theory]
    [InlineData("AUTOPILOT_LLM_TIMEOUT", "soon", "AUTOPILOT_LLM_TIMEOUT 'soon' is not a positive number of seconds")]
    [InlineData("AUTOPILOT_LLM_BASE_URL", "ftp://x", "AUTOPILOT_LLM_BASE_URL 'ftp://x' is not an http:// or https:// address")]
    [InlineData("AUTOPILOT_LLM_PROVIDER", "gpt", "llm provider 'gpt' is not one of rules, anthropic, openai")]
    public void FromEnvironment_BadValue_NamesTheVariable(string name, string value, string message)
    {
        var options = new LlmOptions();

        var error = Assert.Throws<ArgumentException>(() => options.FromEnvironment(n => n == name ? value : null));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:11434", "http://127.0.0.1:11434/v1/chat/completions")]
    [InlineData("http://127.0.0.1:11434/", "http://127.0.0.1:11434/v1/chat/completions")]
    [InlineData("https://api.example.com/v1", "https://api.example.com/v1/chat/completions")]
    [InlineData("http://host/proxy/openai/v1/", "http://host/proxy/openai/v1/chat/completions")]
    public void OpenAiCompatible_Endpoint_FromTheBaseUrl(string baseUrl, string endpoint)
    {
        Assert.Equal(new Uri(endpoint), OpenAiCompatibleChatClient.Endpoint(new Uri(baseUrl)));
    }
}
