using System.Globalization;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Options of the anomaly engine family: metric series detectors, span latency percentiles, threshold
/// rules with <c>for</c> durations, SLO burn-rate alerts and log templates. Every default lives here or in
/// the part's own options class.
/// </summary>
public sealed class AnomalyOptions
{
    /// <summary>Whether the anomaly engines run at all (each part also has its own switch).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>One streaming detector per metric series (<c>anomaly.metric</c>).</summary>
    public MetricAnomalyOptions Metrics { get; } = new();

    /// <summary>Span latency percentiles per service and operation (<c>anomaly.latency</c>).</summary>
    public LatencyAnomalyOptions Latency { get; } = new();

    /// <summary>Threshold rules with <c>for</c> durations (<c>anomaly.threshold</c>). Empty by default.</summary>
    public List<ThresholdRuleOptions> Rules { get; } = [];

    /// <summary>
    /// The rules of <see cref="Rules"/> as every shard's threshold engine reads them, built when the first asks; a reload
    /// replaces them here (<see cref="ThresholdRuleSet.Replace"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ThresholdRuleSet RuleSet => LazyInitializer.EnsureInitialized(ref _ruleSet, () => new ThresholdRuleSet(Rules));

    private ThresholdRuleSet? _ruleSet;

    /// <summary>Evaluation of threshold rules (span percentile windows, caps).</summary>
    public ThresholdRuleEngineOptions RuleEvaluation { get; } = new();

    /// <summary>Service level objectives alerted on by multi-window burn rates (<c>slo.burn</c>). Empty by default.</summary>
    public List<SloOptions> Slos { get; } = [];

    /// <summary>Caps of the SLO engine.</summary>
    public SloEngineOptions SloEvaluation { get; } = new();

    /// <summary>Never-seen log templates and log spikes (<c>log.new_template</c>, <c>log.spike</c>).</summary>
    public LogAnomalyOptions Logs { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!Enabled)
        {
            return;
        }

        Metrics.Validate("engines.anomaly.metrics");
        Latency.Validate("engines.anomaly.latency");
        RuleEvaluation.Validate("engines.anomaly.ruleEvaluation");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Rules.Count; i++)
        {
            var key = $"engines.anomaly.rules[{i}]";
            var rule = Rules[i] ?? throw new ArgumentException($"{key} is empty.");
            _ = rule.ToRule(key);
            if (!names.Add(rule.Name!))
            {
                throw new ArgumentException($"{key}.name: the rule name '{rule.Name}' is used twice; rule names must be unique.");
            }
        }

        SloEvaluation.Validate("engines.anomaly.sloEvaluation");
        names.Clear();
        for (var i = 0; i < Slos.Count; i++)
        {
            var key = $"engines.anomaly.slos[{i}]";
            var slo = Slos[i] ?? throw new ArgumentException($"{key} is empty.");
            slo.Validate(key);
            if (!names.Add(slo.Name))
            {
                throw new ArgumentException($"{key}.name: the SLO name '{slo.Name}' is used twice; SLO names must be unique.");
            }
        }

        Logs.Validate("engines.anomaly.logs");
    }

    internal static void ValidateDetector(AnomalyDetectorOptions detector, string key)
    {
        try
        {
            detector.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new ArgumentException($"{key}.detector.{char.ToLowerInvariant(e.ParamName![0])}{e.ParamName[1..]}: {Rule(e)}", e);
        }
    }

    /// <summary>
    /// The rule of a detector setting's exception as configuration problems say it (<c>must be between 1 and 1000, got 0</c>):
    /// the exception's message carries the setting's name in front and "(Parameter …)" / "Actual value was …" behind.
    /// </summary>
    private static string Rule(ArgumentOutOfRangeException e)
    {
        var message = e.Message;
        var end = message.IndexOf('\n', StringComparison.Ordinal);
        message = (end < 0 ? message : message[..end]).TrimEnd('\r');
        var parameter = $" (Parameter '{e.ParamName}')";
        if (message.EndsWith(parameter, StringComparison.Ordinal))
        {
            message = message[..^parameter.Length];
        }

        if (message.StartsWith(e.ParamName + " ", StringComparison.Ordinal))
        {
            message = message[(e.ParamName!.Length + 1)..];
        }

        message = message.TrimEnd('.');
        return e.ActualValue is null ? message : string.Create(CultureInfo.InvariantCulture, $"{message}, got {e.ActualValue}");
    }
}
