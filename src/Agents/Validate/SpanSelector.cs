namespace Autopilot.Agents.Validate;

/// <summary>Which spans an expectation is about: by service, kind and name (exact, or a glob with <c>*</c>); null matches any.</summary>
internal sealed record SpanSelector(string Service, string? Kind, string? Name)
{
    public static readonly IReadOnlyList<string> Kinds = ["internal", "server", "client", "producer", "consumer"];

    public bool Matches(CapturedSpan span) =>
        string.Equals(span.Service, Service, StringComparison.Ordinal)
        && (Kind is null || string.Equals(span.Kind, Kind, StringComparison.Ordinal))
        && (Name is null || Glob.Matches(Name, span.Name));

    /// <summary>"server span 'GET /orders/{id}' of service 'orders'".</summary>
    public string Describe() =>
        $"{(Kind is null ? "span(s)" : Kind + " span(s)")}{(Name is null ? string.Empty : $" '{Name}'")} of service '{Service}'";
}
