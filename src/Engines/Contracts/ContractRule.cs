using System.Globalization;
using System.Text.RegularExpressions;

namespace Autopilot.Engines.Contracts;

/// <summary>
/// A quality rule such as <c>rowCount &gt; 0</c> or <c>nullCount(email) == 0</c>: a metric (with its column),
/// a comparison and a number. <see cref="Text"/> is the rule as written, used to name it in findings.
/// </summary>
public sealed partial record ContractRule(string Text, ContractMetric Metric, string? Column, string Operator, double Threshold)
{
    /// <summary>The signal name that carries the rule's metric.</summary>
    public string SignalName => Metric switch
    {
        ContractMetric.RowCount => "lineage.row_count",
        ContractMetric.NullCount => "dq.null_count",
        ContractMetric.DistinctCount => "dq.distinct_count",
        ContractMetric.Min => "dq.min",
        ContractMetric.Max => "dq.max",
        ContractMetric.Sum => "dq.sum",
        _ => "dq.count",
    };

    /// <summary>Whether <paramref name="observed"/> satisfies the rule.</summary>
    public bool Holds(double observed) => Operator switch
    {
        ">" => observed > Threshold,
        ">=" => observed >= Threshold,
        "<" => observed < Threshold,
        "<=" => observed <= Threshold,
        "==" => observed == Threshold,
        _ => observed != Threshold,
    };

    /// <summary>Parses a rule; returns null and an error message when it is not one.</summary>
    public static ContractRule? TryParse(string text, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var m = RulePattern().Match(text);
        if (!m.Success)
        {
            error = $"'{text}' is not a rule; expected '<metric> <op> <number>' with metric rowCount or nullCount|distinctCount|min|max|sum|count(column) and op one of > >= < <= == !=.";
            return null;
        }

        var function = m.Groups["fn"].Value;
        var column = m.Groups["col"].Success ? m.Groups["col"].Value.Trim() : null;
        ContractMetric? metric = function switch
        {
            "rowCount" => ContractMetric.RowCount,
            "nullCount" => ContractMetric.NullCount,
            "distinctCount" => ContractMetric.DistinctCount,
            "min" => ContractMetric.Min,
            "max" => ContractMetric.Max,
            "sum" => ContractMetric.Sum,
            "count" => ContractMetric.Count,
            _ => null,
        };
        if (metric is null)
        {
            error = $"'{text}': unknown metric '{function}'; expected rowCount, nullCount, distinctCount, min, max, sum or count.";
            return null;
        }

        if ((metric == ContractMetric.RowCount) != string.IsNullOrEmpty(column))
        {
            error = metric == ContractMetric.RowCount
                ? $"'{text}': rowCount takes no column."
                : $"'{text}': {function} needs a column, as in {function}(name).";
            return null;
        }

        if (!double.TryParse(m.Groups["num"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold))
        {
            error = $"'{text}': '{m.Groups["num"].Value}' is not a number.";
            return null;
        }

        error = null;
        return new ContractRule(text.Trim(), metric.Value, column, m.Groups["op"].Value, threshold);
    }

    [GeneratedRegex(@"^\s*(?<fn>[A-Za-z]+)\s*(\(\s*(?<col>[^()]+?)\s*\))?\s*(?<op>>=|<=|==|!=|>|<)\s*(?<num>[-+]?[0-9.]+([eE][-+]?[0-9]+)?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex RulePattern();
}
