using Autopilot.Host.Bench;
using Autopilot.Host.Hosting;
using Autopilot.Simulator;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Tests.TestSupport;

/// <summary>
/// Scenarios short enough for the test suite: 25 simulated minutes of healthy traffic at one request a second, then
/// the fault, against a server whose detectors warm up over 15 windows instead of 60 and stay quiet for 5 windows
/// after an alarm instead of 30 (and freshness learns over 3 gaps instead of 5). The accuracy suite
/// (<c>bench rca</c>) runs the full-length scenarios on the default settings.
/// </summary>
internal static class ShortScenarios
{
    public const string Environment = "test";

    public static readonly ShopTopology Topology = ShopTopology.Default();

    public static readonly TimeSpan Healthy = TimeSpan.FromMinutes(25);

    /// <summary>10:00 UTC two days ago: in the past, and the same time of day on every run.</summary>
    public static DateTimeOffset Start { get; } = Scenario.DefaultStart(DateTimeOffset.UtcNow).AddDays(-1);

    public static Scenario Create(FaultKind kind, string target, int seed = 7, TimeSpan? healthy = null, TimeSpan? after = null)
    {
        var fault = FaultCatalog.Create(kind, Topology, Environment, target);
        var afterFault = after ?? (kind is FaultKind.StaleDataset or FaultKind.SchemaChange ? TimeSpan.FromMinutes(24) : TimeSpan.FromMinutes(5));
        return new Scenario(kind, seed, Start, healthy ?? Healthy, afterFault, fault);
    }

    public static SimulatorOptions Options(Uri endpoint) => new() { Endpoint = endpoint, Environment = Environment, RequestsPerSecond = 1 };

    public static async Task<InProcessServer> StartServerAsync(TempDirectory directory) =>
        await InProcessServer.StartAsync(directory.Path, ConfigureServer);

    private static void ConfigureServer(ServerOptions options)
    {
        RcaBenchmark.Configure(options);
        var latency = options.Engines.Anomaly.Latency.Detector;
        latency.WarmupPoints = 15;
        latency.LikelihoodMinSamples = 15;
        latency.SuppressPoints = 5;
        var metric = options.Engines.Anomaly.Metrics.Detector;
        metric.WarmupPoints = 60;
        metric.LikelihoodMinSamples = 40;
        metric.SuppressPoints = 20;
        options.Engines.Freshness.MinObservations = 3;
    }
}
