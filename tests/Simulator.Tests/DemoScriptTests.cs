using System.Collections.Concurrent;
using System.Diagnostics;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Tests.TestSupport;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Tests;

/// <summary>The demo driver: history backfilled up to now, then live traffic on the wall clock with a scheduled fault.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class DemoScriptTests
{
    [Fact]
    public async Task RunAsync_BackfillsThenGoesLive_InjectsAndClearsTheScheduledFault()
    {
        using var dir = new TempDirectory();
        var server = await ShortScenarios.StartServerAsync(dir);
        await using (server)
        {
            var topology = ShortScenarios.Topology;
            var fault = FaultCatalog.Create(FaultKind.DeployErrors, topology, ShortScenarios.Environment, "payment");
            var options = ShortScenarios.Options(server.HttpEndpoint);
            options.RequestsPerSecond = 20;
            var demo = new DemoScript(options, topology)
            {
                Backfill = TimeSpan.FromMinutes(2),
                Tick = TimeSpan.FromMilliseconds(100),
                FlushInterval = TimeSpan.FromMilliseconds(500),
                ProgressInterval = TimeSpan.FromMinutes(1),
            }.Inject(fault, after: TimeSpan.FromSeconds(1), duration: TimeSpan.FromSeconds(2));
            var reports = new ConcurrentQueue<SimulationProgress>();
            var lastBackfillReport = DateTimeOffset.MinValue;
            var payment = new ConcurrentQueue<(DateTime Start, string? Version)>();
            using var listener = new ActivityListener
            {
                ShouldListenTo = s => s.Name == "autopilot.simulator.payment",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = a => payment.Enqueue((a.StartTimeUtc, a.Source.Version)),
            };
            ActivitySource.AddActivityListener(listener);
            var before = DateTimeOffset.UtcNow;

            var stats = await demo.RunAsync(TimeSpan.FromSeconds(5), new SyncProgress<SimulationProgress>(r =>
            {
                if (r.Phase == SimulationPhase.FastForward)
                {
                    lastBackfillReport = DateTimeOffset.UtcNow;
                }

                reports.Enqueue(r);
            }), CancellationToken.None);

            var phases = reports.Select(r => r.Phase).ToList();
            var live = phases.IndexOf(SimulationPhase.Live);
            var injected = phases.IndexOf(SimulationPhase.FaultInjected);
            var cleared = phases.IndexOf(SimulationPhase.FaultCleared);
            Assert.True(phases.IndexOf(SimulationPhase.FastForward) is var backfill && backfill >= 0 && backfill < live, string.Join(", ", phases));
            Assert.True(live < injected && injected < cleared && cleared < phases.IndexOf(SimulationPhase.Completed), string.Join(", ", phases));
            Assert.Equal(fault, reports.First(r => r.Phase == SimulationPhase.FaultInjected).Fault);

            // "after: 1 s" counts from when the live phase begins, however long the backfill took (its last report comes
            // after its last step), not from when RunAsync was called.
            var injectedAt = reports.First(r => r.Phase == SimulationPhase.FaultInjected).SimulatedTime;
            Assert.True(injectedAt >= lastBackfillReport.AddSeconds(1), $"injected at {injectedAt:O}, the backfill reported last at {lastBackfillReport:O}");
            Assert.Equal(3, reports.Count(r => r.Phase == SimulationPhase.FastForward)); // at the start, then every simulated minute
            Assert.Equal(0, stats.ExportFailures);

            // The backfill starts 2 minutes back; live traffic carries the wall clock.
            var assets = await ServerAssertions.AssertInventoryMatchesAsync(server, stats);
            var frontend = assets[ShopTopology.ServiceUrn(ShortScenarios.Environment, topology.EntryService)];
            Assert.InRange(frontend.GetProperty("firstSeen").GetDateTimeOffset(), before.AddMinutes(-2).AddSeconds(-1), before.AddMinutes(-1));
            Assert.True(frontend.GetProperty("lastSeen").GetDateTimeOffset() >= before, $"no live traffic: {frontend}");

            // The deploy is a new instance of payment with the new service.version, the rollback one with the old version.
            // A request keeps the instance it arrived at, so spans of requests in flight at a switch may start up to a
            // (simulated) request's duration after it: a second is far longer than any request without a fault.
            var deployed = reports.First(r => r.Phase == SimulationPhase.FaultInjected).SimulatedTime.UtcDateTime;
            var rolledBack = reports.First(r => r.Phase == SimulationPhase.FaultCleared).SimulatedTime.UtcDateTime;
            var spans = payment.ToList();
            var newVersion = spans.Where(s => s.Version == fault.NewVersion).ToList();
            var oldVersion = spans.Where(s => s.Version == "1.4.2").ToList();
            Assert.Equal(spans.Count, newVersion.Count + oldVersion.Count);
            Assert.NotEmpty(newVersion);
            Assert.All(newVersion, s => Assert.InRange(s.Start, deployed, rolledBack.AddSeconds(1)));
            Assert.All(oldVersion, s => Assert.True(s.Start < deployed.AddSeconds(1) || s.Start >= rolledBack, $"{s.Start:O} on the old version while {fault.NewVersion} ran ({deployed:O} to {rolledBack:O})"));
            Assert.Contains(oldVersion, s => s.Start < deployed);
            Assert.Contains(oldVersion, s => s.Start >= rolledBack);
        }
    }

    [Fact]
    public void Inject_NegativeDelay_IsRefused()
    {
        var topology = ShopTopology.Default();
        var demo = new DemoScript(new SimulatorOptions(), topology);
        Assert.Throws<ArgumentException>(() => demo.Inject(FaultCatalog.Create(FaultKind.Latency, topology, "sim"), TimeSpan.FromSeconds(-1)));
        Assert.Empty(demo.Faults);
    }
}
