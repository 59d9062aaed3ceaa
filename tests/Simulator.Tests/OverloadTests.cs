using Autopilot.Host.Hosting;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Tests.TestSupport;

namespace Autopilot.Simulator.Tests;

/// <summary>A server that refuses exports as overloaded (429) gets them again after its Retry-After (1 s): nothing is lost.</summary>
[Collection(SimulatorCollection.Name)]
public sealed class OverloadTests
{
    [Fact]
    public async Task RefusedExports_AreRetried_AndEverythingArrives()
    {
        using var dir = new TempDirectory();

        // One request decoded at a time and no waiting for a slot: concurrent exports are refused with 429.
        var server = await InProcessServer.StartAsync(dir.Path, o =>
        {
            Host.Bench.RcaBenchmark.Configure(o);
            o.Ingest.MaxConcurrentRequests = 1;
            o.Ingest.AdmissionWait = TimeSpan.Zero;
        });
        await using (server)
        {
            var scenario = ShortScenarios.Create(FaultKind.Latency, "payment", seed: 5, healthy: TimeSpan.FromSeconds(30), after: TimeSpan.FromSeconds(30));
            var options = ShortScenarios.Options(server.HttpEndpoint);
            options.ExportParallelism = 3;

            var result = await ScenarioRunner.RunAsync(scenario, options, ShortScenarios.Topology);

            Assert.True(result.Stats.ExportRetries > 0, "the server never refused an export; the test did not exercise the retry");
            Assert.Equal(0, result.Stats.ExportFailures);
            await ServerAssertions.AssertInventoryMatchesAsync(server, result.Stats);
        }
    }
}
