namespace Autopilot.Ingest.Redaction;

/// <summary>
/// One redaction rule as configured: a <see cref="Key"/> rule replaces the whole value of every attribute whose
/// key matches; a <see cref="Value"/> rule replaces what it matches inside attribute values and log bodies.
/// A rule named like a built-in one (<see cref="RedactionRules.BuiltInNames"/>) replaces it.
/// </summary>
public sealed class RedactionRuleOptions
{
    /// <summary>Unique name, used to disable or replace the rule and in error messages. Required.</summary>
    public string? Name { get; set; }

    /// <summary>Regular expression matched (case-insensitively) against attribute keys. Set this or <see cref="Value"/>.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// Regular expression searched in values. When it has a group named <c>secret</c>, only that group is
    /// replaced (so <c>password=</c> stays readable); otherwise the whole match is.
    /// </summary>
    public string? Value { get; set; }

    /// <summary>What a match is replaced by; null uses <see cref="RedactionOptions.Replacement"/>.</summary>
    public string? Replacement { get; set; }

    /// <summary>Replace a match only when its digits pass the Luhn checksum (payment card numbers). Default false.</summary>
    public bool Luhn { get; set; }
}
