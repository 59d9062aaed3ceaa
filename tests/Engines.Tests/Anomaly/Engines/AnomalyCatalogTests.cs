using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Hosting;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class AnomalyCatalogTests
{
    [Fact]
    public void CreateDefault_RulesAndSlosConfigured_RegistersEveryAnomalyEngine()
    {
        var options = new EngineOptions();
        options.Anomaly.Rules.Add(new ThresholdRuleOptions { Name = "mem", Expression = "memory.utilization > 90% for 120s" });
        options.Anomaly.Slos.Add(new SloOptions { Name = "avail", Urn = "urn:autopilot:service:*" });
        options.Validate();

        var names = EngineCatalog.CreateDefault(0, options).Select(e => e.Name).ToList();

        Assert.Subset(names.ToHashSet(), new HashSet<string> { "anomaly.metric", "anomaly.latency", "anomaly.threshold", "slo.burn", "anomaly.logs" });
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void CreateDefault_AnomalyDisabled_RegistersNone()
    {
        var options = new EngineOptions();
        options.Anomaly.Enabled = false;

        Assert.DoesNotContain(EngineCatalog.CreateDefault(0, options), e => e is MetricAnomalyEngine or LatencyAnomalyEngine or LogAnomalyEngine);
    }

    [Fact]
    public void Validate_BadDetectorSetting_NamesTheKey()
    {
        var options = new AnomalyOptions();
        options.Latency.Detector.FireThreshold = 2;

        Assert.StartsWith("engines.anomaly.latency.detector.fireThreshold", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
