namespace Autopilot.Engines.Anomaly;

/// <summary>
/// The threshold rules in force, shared by every shard's <see cref="ThresholdRuleEngine"/>: built from
/// <see cref="AnomalyOptions.Rules"/> at start and replaced whole by a reload, which each engine takes up at its next
/// signal or watermark (a rule kept as it was keeps its state, a changed one starts its <c>for</c> afresh, a removed one
/// is forgotten).
/// </summary>
public sealed class ThresholdRuleSet
{
    private volatile ThresholdRule[] _rules;

    /// <exception cref="ArgumentException">A rule is invalid; the message names its key.</exception>
    public ThresholdRuleSet(IReadOnlyList<ThresholdRuleOptions> rules)
    {
        _rules = Build(rules);
    }

    /// <summary>The rules in force.</summary>
    public IReadOnlyList<ThresholdRule> Current => _rules;

    /// <summary>Times <see cref="Replace"/> put a new set in force.</summary>
    public int Reloads { get; private set; }

    internal ThresholdRule[] Rules => _rules;

    /// <summary>Puts <paramref name="rules"/> in force; an invalid one changes nothing.</summary>
    /// <exception cref="ArgumentException">A rule is invalid; the message names its key.</exception>
    public void Replace(IReadOnlyList<ThresholdRuleOptions> rules)
    {
        _rules = Build(rules);
        Reloads++;
    }

    private static ThresholdRule[] Build(IReadOnlyList<ThresholdRuleOptions> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var built = new ThresholdRule[rules.Count];
        for (var i = 0; i < built.Length; i++)
        {
            built[i] = rules[i].ToRule($"engines.anomaly.rules[{i}]");
        }

        return built;
    }
}
