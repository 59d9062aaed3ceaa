namespace Autopilot.Agents.Validate;

/// <summary>One HTTP request of traffic.yaml, sent <see cref="Repeat"/> times.</summary>
/// <param name="Name">Label in the report; defaults to <c>METHOD url</c>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="Url">Path relative to the base URL, or an absolute URL.</param>
/// <param name="Headers">Request headers (content headers included).</param>
/// <param name="Body">Request body; null for none.</param>
/// <param name="ContentType">Content type of the body.</param>
/// <param name="Repeat">How many times to send it.</param>
/// <param name="ExpectedStatus">Accepted status codes; any 2xx when empty.</param>
/// <param name="Timeout">Per-request timeout.</param>
internal sealed record TrafficRequest(
    string Name,
    string Method,
    string Url,
    IReadOnlyDictionary<string, string> Headers,
    string? Body,
    string? ContentType,
    int Repeat,
    IReadOnlyList<int> ExpectedStatus,
    TimeSpan Timeout);
