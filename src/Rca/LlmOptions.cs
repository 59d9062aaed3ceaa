namespace Autopilot.Rca;

/// <summary>
/// The LLM explainer. Off by default; <see cref="FromEnvironment"/> turns it on when <c>ANTHROPIC_API_KEY</c>
/// or <c>AUTOPILOT_LLM_BASE_URL</c> is set. Every bound on what is sent lives here.
/// </summary>
public sealed class LlmOptions
{
    public LlmProvider Provider { get; set; } = LlmProvider.None;

    /// <summary>Model id; null takes the provider's default (<see cref="DefaultModel"/>).</summary>
    public string? Model { get; set; }

    /// <summary>Base address: the OpenAI-compatible server (required for it), or a different Anthropic endpoint.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>API key; never logged. Anthropic: <c>ANTHROPIC_API_KEY</c>; OpenAI-compatible: <c>AUTOPILOT_LLM_API_KEY</c> or <c>OPENAI_API_KEY</c> (optional for a local server).</summary>
    [System.ComponentModel.PasswordPropertyText(true)]
    public string? ApiKey { get; set; }

    /// <summary>How long the model may take before the rules explainer answers instead. Default 20 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Largest prompt (system + user message) in characters; the context shrinks to fit. Default 24,000.</summary>
    public int MaxPromptChars { get; set; } = 24_000;

    /// <summary>Most tokens the model may answer with. Default 1,500.</summary>
    public int MaxOutputTokens { get; set; } = 1_500;

    /// <summary>Longest text of one evidence item, log line or summary in the prompt. Default 300 characters.</summary>
    public int MaxFieldChars { get; set; } = 300;

    public bool Enabled => Provider != LlmProvider.None;

    public string DefaultModel => Provider switch
    {
        LlmProvider.Anthropic => "claude-sonnet-4-5",
        LlmProvider.OpenAi => "llama3.1",
        _ => "none",
    };

    public string EffectiveModel => Model ?? DefaultModel;

    /// <summary>
    /// Fills unset values from the environment: <c>AUTOPILOT_LLM_PROVIDER</c> (anthropic / openai / none),
    /// <c>AUTOPILOT_LLM_BASE_URL</c>, <c>AUTOPILOT_LLM_MODEL</c>, <c>AUTOPILOT_LLM_TIMEOUT</c> (seconds),
    /// <c>ANTHROPIC_API_KEY</c>, <c>AUTOPILOT_LLM_API_KEY</c> / <c>OPENAI_API_KEY</c>. Without a provider named,
    /// a base URL means OpenAI-compatible and an Anthropic key means Anthropic.
    /// </summary>
    public void FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string? Env(string name) => read(name) is { Length: > 0 } v ? v.Trim() : null;

        if (Provider == LlmProvider.None && Env("AUTOPILOT_LLM_PROVIDER") is { } named)
        {
            Provider = ParseProvider(named);
        }

        if (BaseUrl is null && Env("AUTOPILOT_LLM_BASE_URL") is { } url)
        {
            BaseUrl = ParseUrl(url, "AUTOPILOT_LLM_BASE_URL");
        }

        Model ??= Env("AUTOPILOT_LLM_MODEL");
        if (Env("AUTOPILOT_LLM_TIMEOUT") is { } seconds)
        {
            Timeout = double.TryParse(seconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : throw new ArgumentException($"AUTOPILOT_LLM_TIMEOUT '{seconds}' is not a positive number of seconds.");
        }

        if (Provider == LlmProvider.None)
        {
            Provider = BaseUrl is not null ? LlmProvider.OpenAi : Env("ANTHROPIC_API_KEY") is not null ? LlmProvider.Anthropic : LlmProvider.None;
        }

        ApiKey ??= Provider switch
        {
            LlmProvider.Anthropic => Env("ANTHROPIC_API_KEY"),
            LlmProvider.OpenAi => Env("AUTOPILOT_LLM_API_KEY") ?? Env("OPENAI_API_KEY"),
            _ => null,
        };
    }

    public static LlmProvider ParseProvider(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "rules" or "off" => LlmProvider.None,
        "anthropic" => LlmProvider.Anthropic,
        "openai" or "openai-compatible" or "ollama" => LlmProvider.OpenAi,
        _ => throw new ArgumentException($"llm provider '{text}' is not one of rules, anthropic, openai."),
    };

    public static Uri ParseUrl(string text, string name) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"{name} '{text}' is not an http:// or https:// address.");

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"llm.timeout must be between 0 and 10 minutes, got {Timeout}.");
        }

        if (MaxPromptChars < 2_000)
        {
            throw new ArgumentException($"llm.maxPromptChars must be at least 2000, got {MaxPromptChars}.");
        }

        if (MaxOutputTokens < 100 || MaxFieldChars < 40)
        {
            throw new ArgumentException("llm.maxOutputTokens must be at least 100 and llm.maxFieldChars at least 40.");
        }

        if (BaseUrl is { } url && url.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"llm.baseUrl must be an http or https URL, got '{url}'.");
        }

        switch (Provider)
        {
            case LlmProvider.OpenAi when BaseUrl is null:
                throw new ArgumentException("llm provider openai needs a base URL (--llm-base-url or AUTOPILOT_LLM_BASE_URL), e.g. http://127.0.0.1:11434 for Ollama.");
            case LlmProvider.Anthropic when string.IsNullOrEmpty(ApiKey):
                throw new ArgumentException("llm provider anthropic needs ANTHROPIC_API_KEY.");
        }
    }
}
