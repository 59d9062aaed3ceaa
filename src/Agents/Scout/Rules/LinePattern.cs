namespace Autopilot.Agents.Scout.Rules;

/// <summary>
/// A literal trigger and what a line holding it means. Triggers are found with one vectorised search over the
/// file; the optional conditions below are only checked on those lines.
/// </summary>
/// <param name="Trigger">Literal text that must occur on the line.</param>
/// <param name="Kind">What the line is evidence of.</param>
/// <param name="Value">Kind-specific: framework, messaging system, what propagation covers, …</param>
internal sealed record LinePattern(string Trigger, PatternKind Kind, string? Value = null)
{
    /// <summary>Where the topic or queue name is, for <see cref="PatternKind.Produce"/> / <see cref="PatternKind.Consume"/>.</summary>
    public TopicArg Topic { get; init; }

    /// <summary>The file must also contain this (case-insensitive), e.g. <c>.exchange(</c> only counts in a file that uses RestTemplate.</summary>
    public string? RequiresInFile { get; init; }

    /// <summary>The identifier right before the trigger must contain this (case-insensitive): <c>producer.send(</c> but not <c>mailer.send(</c>.</summary>
    public string? ReceiverContains { get; init; }

    /// <summary>Match the trigger case-insensitively.</summary>
    public bool IgnoreCase { get; init; }

    /// <summary>The character before the trigger must not be part of an identifier (<c>fetch(</c> but not <c>refetch(</c>, <c>http.Get(</c> but not <c>otelhttp.Get(</c>).</summary>
    public bool WordStart { get; init; }
}
