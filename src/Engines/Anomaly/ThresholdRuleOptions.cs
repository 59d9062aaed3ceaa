using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// One threshold rule as configured. Either <see cref="Expression"/> in the compact grammar of
/// <see cref="ThresholdRule"/> (<c>p99 &gt; 1500ms for 60s</c>), or the parts <see cref="Target"/>,
/// <see cref="Comparison"/>, <see cref="Value"/> and <see cref="For"/>.
/// </summary>
public sealed class ThresholdRuleOptions
{
    /// <summary>Unique rule name, used in findings and error messages.</summary>
    public string? Name { get; set; }

    /// <summary>Assets the rule applies to: an exact URN, <c>prefix*</c>, <c>*suffix</c> or <c>*</c> (all). Default <c>*</c>.</summary>
    public string Urn { get; set; } = "*";

    /// <summary>The rule in the compact grammar; when set, the parts below are ignored.</summary>
    public string? Expression { get; set; }

    /// <summary>Metric name, or a span percentile <c>p50</c>/<c>p90</c>/<c>p95</c>/<c>p99</c> (milliseconds).</summary>
    public string? Target { get; set; }

    /// <summary>One of <c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>. Default <c>&gt;</c>.</summary>
    public string Comparison { get; set; } = ">";

    /// <summary>The threshold.</summary>
    public double Value { get; set; }

    /// <summary>How long the condition must hold (event time) before the rule fires. Default 0 (first breach).</summary>
    public TimeSpan For { get; set; } = TimeSpan.Zero;

    /// <summary>Severity of the finding. Default warning.</summary>
    public FindingSeverity Severity { get; set; } = FindingSeverity.Warning;

    /// <summary>Builds the rule; <paramref name="key"/> (<c>engines.anomaly.rules[0]</c>) prefixes error messages.</summary>
    /// <exception cref="ArgumentException">A setting is invalid; the message names its key.</exception>
    public ThresholdRule ToRule(string key)
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException($"{key}.name is required.");
        }

        if (!UrnPattern.IsValid(Urn))
        {
            throw new ArgumentException($"{key}.urn: '{Urn}' is not an exact URN, 'prefix*', '*suffix' or '*'.");
        }

        if (!Enum.IsDefined(Severity))
        {
            throw new ArgumentException($"{key}.severity must be info, warning or critical.");
        }

        if (!string.IsNullOrWhiteSpace(Expression))
        {
            try
            {
                return ThresholdRule.Parse(Name, Expression, Urn, Severity);
            }
            catch (FormatException e)
            {
                throw new ArgumentException($"{key}.expression: {e.Message}", e);
            }
        }

        if (string.IsNullOrWhiteSpace(Target) || Target.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{key}.target is required (a metric name or p50/p90/p95/p99) when no expression is given (rule '{Name}').");
        }

        var comparison = Comparison switch
        {
            ">" => ThresholdComparison.GreaterThan,
            ">=" => ThresholdComparison.GreaterThanOrEqual,
            "<" => ThresholdComparison.LessThan,
            "<=" => ThresholdComparison.LessThanOrEqual,
            _ => throw new ArgumentException($"{key}.comparison must be one of >, >=, <, <=, got '{Comparison}' (rule '{Name}')."),
        };
        if (!double.IsFinite(Value))
        {
            throw new ArgumentException($"{key}.value must be a finite number (rule '{Name}').");
        }

        if (For < TimeSpan.Zero || For > TimeSpan.FromDays(30))
        {
            throw new ArgumentException($"{key}.for must be between 0 and 30 days, got {For} (rule '{Name}').");
        }

        return new ThresholdRule(Name, Urn, Target, comparison, Value, For, Severity);
    }
}
