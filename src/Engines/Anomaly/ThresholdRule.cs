using System.Globalization;
using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// A parsed threshold rule: on assets matching <see cref="UrnPattern"/>, <see cref="Target"/> compared with
/// <see cref="Threshold"/> must hold continuously for <see cref="For"/> (event time) before it fires.
/// </summary>
/// <remarks>
/// Compact grammar (<see cref="Parse"/>), whitespace optional around the operator:
/// <code>
/// rule      := target op value [ "for" duration ]
/// target    := metric-name | "p50" | "p90" | "p95" | "p99"     (pNN: percentile of span durations, ms)
/// op        := "&gt;" | "&gt;=" | "&lt;" | "&lt;="
/// value     := number [ "%" | "ms" | "s" | "m" | "h" ]        (% divides by 100; time units convert to ms)
/// duration  := number ( "ms" | "s" | "m" | "h" )              (no "for": fires on the first breach)
/// </code>
/// Examples: <c>memory.utilization &gt; 90% for 120s</c>, <c>p99 &gt; 1.5s for 60s</c>, <c>queue.depth &gt;= 1000</c>.
/// A metric target also matches a histogram's percentile written as <c>name.p99</c> (or <c>.p95</c>, <c>.p50</c>).
/// </remarks>
public sealed record ThresholdRule(
    string Name,
    string UrnPattern,
    string Target,
    ThresholdComparison Comparison,
    double Threshold,
    TimeSpan For,
    FindingSeverity Severity)
{
    /// <summary>The quantile in (0, 1) when <see cref="Target"/> is a span percentile (<c>p99</c>), else null.</summary>
    public double? SpanPercentile => SpanPercentileOf(Target);

    /// <summary>Whether <paramref name="value"/> breaches the rule.</summary>
    public bool Holds(double value) => Comparison switch
    {
        ThresholdComparison.GreaterThan => value > Threshold,
        ThresholdComparison.GreaterThanOrEqual => value >= Threshold,
        ThresholdComparison.LessThan => value < Threshold,
        _ => value <= Threshold,
    };

    /// <summary>The operator as written in the grammar.</summary>
    public string Operator => OperatorText(Comparison);

    /// <summary>
    /// Parses the compact form (see the remarks). <paramref name="name"/> names the rule in error messages.
    /// </summary>
    /// <exception cref="FormatException">The expression does not follow the grammar; the message names the rule and the problem.</exception>
    public static ThresholdRule Parse(string name, string expression, string urnPattern = "*", FindingSeverity severity = FindingSeverity.Warning)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(expression);
        var text = expression.AsSpan().Trim();
        var opAt = text.IndexOfAny('<', '>');
        if (opAt < 0)
        {
            throw Error(name, expression, "expected a comparison (>, >=, <, <=) as in 'memory.utilization > 0.9 for 120s'");
        }

        var target = text[..opAt].Trim();
        if (target.IsEmpty || target.ContainsAny(' ', '\t'))
        {
            throw Error(name, expression, "expected one metric name or pNN before the comparison");
        }

        var orEqual = opAt + 1 < text.Length && text[opAt + 1] == '=';
        var comparison = (text[opAt], orEqual) switch
        {
            ('>', false) => ThresholdComparison.GreaterThan,
            ('>', true) => ThresholdComparison.GreaterThanOrEqual,
            ('<', false) => ThresholdComparison.LessThan,
            _ => ThresholdComparison.LessThanOrEqual,
        };
        var rest = text[(opAt + (orEqual ? 2 : 1))..].Trim();
        ReadOnlySpan<char> valueText = rest;
        ReadOnlySpan<char> forText = default;
        var forAt = IndexOfWord(rest, "for");
        if (forAt >= 0)
        {
            valueText = rest[..forAt].Trim();
            forText = rest[(forAt + 3)..].Trim();
            if (forText.IsEmpty)
            {
                throw Error(name, expression, "expected a duration after 'for', as in 'for 120s'");
            }
        }

        if (valueText.IsEmpty)
        {
            throw Error(name, expression, "expected a threshold value after the comparison");
        }

        if (!TryValue(valueText, out var threshold))
        {
            throw Error(name, expression, $"'{valueText}' is not a number with an optional unit (%, ms, s, m, h)");
        }

        var duration = TimeSpan.Zero;
        if (!forText.IsEmpty && !TryDuration(forText, out duration))
        {
            throw Error(name, expression, $"'{forText}' is not a duration such as 120s, 500ms, 5m or 1h");
        }

        var targetText = target.ToString();
        if (targetText.Length > 1 && (targetText[0] == 'p' || targetText[0] == 'P') && char.IsAsciiDigit(targetText[1]) && SpanPercentileOf(targetText) is null)
        {
            throw Error(name, expression, $"'{targetText}' is not a supported span percentile (p50, p90, p95, p99)");
        }

        return new ThresholdRule(name, urnPattern, targetText, comparison, threshold, duration, severity);
    }

    /// <summary>The rule in the compact grammar.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Target} {Operator} {Threshold}{(For > TimeSpan.Zero ? $" for {For.TotalSeconds}s" : string.Empty)}");

    internal static string OperatorText(ThresholdComparison comparison) => comparison switch
    {
        ThresholdComparison.GreaterThan => ">",
        ThresholdComparison.GreaterThanOrEqual => ">=",
        ThresholdComparison.LessThan => "<",
        _ => "<=",
    };

    internal static double? SpanPercentileOf(string target) => target switch
    {
        "p50" => 0.50,
        "p90" => 0.90,
        "p95" => 0.95,
        "p99" => 0.99,
        _ => null,
    };

    internal static bool TryDuration(ReadOnlySpan<char> text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var multiplierMs = SplitUnit(text, out var number);
        if (multiplierMs is not { } m || double.IsNaN(m) || m < 1 ||
            !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value >= 0) || !double.IsFinite(value))
        {
            return false;
        }

        var ms = value * m;
        if (ms > TimeSpan.FromDays(30).TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }

    private static bool TryValue(ReadOnlySpan<char> text, out double value)
    {
        value = 0;
        var multiplier = SplitUnit(text, out var number);
        if (multiplier is double.NaN || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var raw) || !double.IsFinite(raw))
        {
            return false;
        }

        value = multiplier is { } m ? raw * m : raw;
        return true;
    }

    /// <summary>Number and unit multiplier: % → 0.01, ms → 1, s → 1000, m → 60000, h → 3600000, none → null.</summary>
    private static double? SplitUnit(ReadOnlySpan<char> text, out ReadOnlySpan<char> number)
    {
        text = text.Trim();
        number = text;
        if (text.EndsWith("%"))
        {
            number = text[..^1].TrimEnd();
            return 0.01;
        }

        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            number = text[..^2].TrimEnd();
            return 1;
        }

        if (text.Length > 1 && char.IsAsciiLetter(text[^1]))
        {
            double? m = text[^1] switch
            {
                's' => 1000,
                'm' => 60_000,
                'h' => 3_600_000,
                _ => double.NaN,
            };
            number = text[..^1].TrimEnd();
            return m;
        }

        return null;
    }

    private static int IndexOfWord(ReadOnlySpan<char> text, string word)
    {
        for (var i = 0; i + word.Length <= text.Length; i++)
        {
            if (text[i..].StartsWith(word, StringComparison.OrdinalIgnoreCase) &&
                (i == 0 || char.IsWhiteSpace(text[i - 1])) &&
                (i + word.Length == text.Length || char.IsWhiteSpace(text[i + word.Length])))
            {
                return i;
            }
        }

        return -1;
    }

    private static FormatException Error(string name, string expression, string problem) =>
        new($"Rule '{name}' ('{expression}'): {problem}. Grammar: <metric|p50|p90|p95|p99> <op> <value>[%|ms|s|m|h] [for <duration>].");
}
