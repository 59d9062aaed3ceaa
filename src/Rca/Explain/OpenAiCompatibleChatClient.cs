using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Autopilot.Rca.Explain;

/// <summary>
/// A small <see cref="IChatClient"/> for any server speaking OpenAI's chat-completions protocol
/// (<c>POST {base}/v1/chat/completions</c>): OpenAI, Ollama, vLLM, llama.cpp. Microsoft.Extensions.AI's own
/// OpenAI adapter needs the OpenAI SDK, which this mirror does not serve; the protocol subset used here
/// (messages, temperature, max_tokens, response_format) is stable across those servers.
/// </summary>
internal sealed class OpenAiCompatibleChatClient : IChatClient
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly string _model;
    private readonly ChatClientMetadata _metadata;

    public OpenAiCompatibleChatClient(Uri baseUrl, string model, string? apiKey, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _ownsHttp = http is null;

        // The explainer cancels on its own timeout; HttpClient's would race it with a less useful message.
        _http = http ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _endpoint = Endpoint(baseUrl);
        _model = model;
        if (!string.IsNullOrEmpty(apiKey))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        _metadata = new ChatClientMetadata("openai-compatible", baseUrl, model);
    }

    /// <summary>A base URL ending in <c>/v1</c> gets <c>/chat/completions</c>; any other gets <c>/v1/chat/completions</c>.</summary>
    internal static Uri Endpoint(Uri baseUrl)
    {
        var text = baseUrl.ToString().TrimEnd('/');
        return new Uri(text.EndsWith("/v1", StringComparison.Ordinal) ? text + "/chat/completions" : text + "/v1/chat/completions");
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var body = RequestBody(messages, options);
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(_endpoint, content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{_endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Short(text)}", null, response.StatusCode);
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var choice = root.GetProperty("choices")[0];
            var message = choice.GetProperty("message");
            var reply = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
            var result = new ChatResponse(new ChatMessage(ChatRole.Assistant, reply))
            {
                ModelId = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : _model,
                ResponseId = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            };
            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
            {
                result.FinishReason = new ChatFinishReason(finish.GetString()!);
            }

            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                result.Usage = new UsageDetails
                {
                    InputTokenCount = usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var pt) ? pt : null,
                    OutputTokenCount = usage.TryGetProperty("completion_tokens", out var o) && o.TryGetInt64(out var ot) ? ot : null,
                };
            }

            return result;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new InvalidDataException($"{_endpoint} answered something that is not a chat completion: {Short(text)}", e);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // One answer as one update: the explainer validates a whole object anyway.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private JsonObject RequestBody(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var list = new JsonArray();
        foreach (var message in messages)
        {
            var role = message.Role == ChatRole.System ? "system" : message.Role == ChatRole.Assistant ? "assistant" : message.Role == ChatRole.Tool ? "tool" : "user";
            list.Add(new JsonObject { ["role"] = role, ["content"] = message.Text });
        }

        var body = new JsonObject { ["model"] = options?.ModelId ?? _model, ["messages"] = list, ["stream"] = false };
        if (options?.Temperature is { } temperature)
        {
            body["temperature"] = temperature;
        }

        if (options?.MaxOutputTokens is { } max)
        {
            body["max_tokens"] = max;
        }

        if (options?.ResponseFormat is ChatResponseFormatJson json)
        {
            // strict=false: OpenAI's strict mode refuses schema keywords such as maxLength; servers that constrain
            // decoding with the schema (Ollama, vLLM) still use it, and the explainer validates the answer anyway.
            body["response_format"] = json.Schema is { } schema
                ? new JsonObject
                {
                    ["type"] = "json_schema",
                    ["json_schema"] = new JsonObject { ["name"] = json.SchemaName ?? "response", ["strict"] = false, ["schema"] = JsonNode.Parse(schema.GetRawText()) },
                }
                : new JsonObject { ["type"] = "json_object" };
        }

        return body;
    }

    private static string Short(string text) => text.Length <= 300 ? text.Trim() : text[..300].Trim() + "…";
}
