using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Quality;

namespace Autopilot.Engines.Hosting;

/// <summary>The engines a shard hosts, built from their options (disabled ones left out).</summary>
public static class EngineCatalog
{
    public static IReadOnlyList<Engine> CreateDefault(int shard, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var engines = new List<Engine>();
        if (options.DataQuality.Enabled)
        {
            engines.Add(new ErrorRateEngine(options.DataQuality));
        }

        var anomaly = options.Anomaly;
        AddIf(engines, anomaly.Enabled && anomaly.Metrics.Enabled, () => new MetricAnomalyEngine(anomaly));
        AddIf(engines, anomaly.Enabled && anomaly.Latency.Enabled, () => new LatencyAnomalyEngine(anomaly));
        AddIf(engines, anomaly.Enabled && anomaly.Rules.Count > 0, () => new ThresholdRuleEngine(anomaly));
        AddIf(engines, anomaly.Enabled && anomaly.Slos.Count > 0, () => new SloBurnEngine(anomaly));
        AddIf(engines, anomaly.Enabled && anomaly.Logs.Enabled, () => new LogAnomalyEngine(anomaly));
        return engines;
    }

    private static void AddIf(List<Engine> engines, bool enabled, Func<Engine> create)
    {
        if (enabled)
        {
            engines.Add(create());
        }
    }
}
