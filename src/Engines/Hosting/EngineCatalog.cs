using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Contracts;
using Autopilot.Engines.Drift;
using Autopilot.Engines.Freshness;
using Autopilot.Engines.Quality;
using Autopilot.Engines.Volume;

namespace Autopilot.Engines.Hosting;

/// <summary>The engines a shard hosts, built from their options (disabled ones left out).</summary>
public static class EngineCatalog
{
    public static IReadOnlyList<Engine> CreateDefault(int shard, EngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var engines = new List<Engine>();
        AddIf(engines, options.DataQuality.Enabled, () => new ErrorRateEngine(options.DataQuality));
        AddIf(engines, options.DataQuality.Enabled, () => new DataQualityEngine(options.DataQuality, options.Contract.Catalog));
        AddIf(engines, options.Drift.Enabled, () => new DriftEngine(options.Drift));
        AddIf(engines, options.Contract.Enabled, () => new ContractEngine(options.Contract, options.Contract.Catalog));
        AddIf(engines, options.Freshness.Enabled, () => new FreshnessEngine(options.Freshness));
        AddIf(engines, options.Volume.Enabled, () => new VolumeEngine(options.Volume));

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
