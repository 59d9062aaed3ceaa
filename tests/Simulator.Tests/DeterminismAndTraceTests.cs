using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Tests.TestSupport;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Tests;

/// <summary>A seed replays the same telemetry; the spans form real traces across services (W3C context through headers).</summary>
[Collection(SimulatorCollection.Name)]
public sealed class DeterminismAndTraceTests
{
    [Fact]
    public async Task SameSeed_SendsTheSameContent_AndTheServerCountsTheSame()
    {
        var scenario = ShortScenarios.Create(FaultKind.DeployErrors, "payment", seed: 11, healthy: TimeSpan.FromMinutes(6), after: TimeSpan.FromMinutes(3));
        var (first, firstAssets) = await RunAsync(scenario);
        var (second, secondAssets) = await RunAsync(scenario);

        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(first.Stats.Requests, second.Stats.Requests);
        Assert.Equal(Sorted(first.Stats.SpansByUrn), Sorted(second.Stats.SpansByUrn));
        Assert.Equal(Sorted(first.Stats.LineageByUrn), Sorted(second.Stats.LineageByUrn));
        Assert.Equal(firstAssets.Keys.Order(StringComparer.Ordinal), secondAssets.Keys.Order(StringComparer.Ordinal));
        foreach (var (urn, asset) in firstAssets)
        {
            // Counts and first/last seen (event times) are what arrived; both servers saw the same.
            Assert.Equal(asset.ToString(), secondAssets[urn].ToString());
        }

        var (other, _) = await RunAsync(scenario with { Seed = 12 });
        Assert.NotEqual(first.ContentHash, other.ContentHash);
        Assert.NotEqual(first.Stats.Requests, other.Stats.Requests);
    }

    [Fact]
    public async Task TwoSimulationsInOneProcess_AtOnce_EachServerGetsExactlyItsOwnTelemetry()
    {
        // Both run the same services, so their ActivitySources and Meters have the same names; an SDK provider
        // listens by name, so without a filter each service's provider also exported the other simulation's spans
        // and gauges (as `autopilot demo` running in a test process did to the dashboard fixture's server).
        var first = ShortScenarios.Create(FaultKind.DeployErrors, "payment", seed: 21, healthy: TimeSpan.FromMinutes(5), after: TimeSpan.FromMinutes(2));
        var second = first with { Seed = 22, Start = first.Start.AddHours(2) };
        var runs = await Task.WhenAll(RunAsync(first), RunAsync(second));

        Assert.NotEqual(runs[0].Result.ContentHash, runs[1].Result.ContentHash);
    }

    [Fact]
    public async Task Spans_FormTracesAcrossServices_CalleeServerSpanIsChildOfCallerClientSpan()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name.StartsWith("autopilot.simulator.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var scenario = ShortScenarios.Create(FaultKind.Latency, "payment", seed: 3, healthy: TimeSpan.FromMinutes(3), after: TimeSpan.FromMinutes(1));
        var (result, _) = await RunAsync(scenario);

        var all = spans.ToList();
        Assert.Equal(result.Stats.Spans, all.Count);
        var bySpanId = all.ToDictionary(a => a.SpanId);
        var topology = ShortScenarios.Topology;
        var roots = all.Where(a => a.ParentSpanId == default).ToList();
        Assert.All(roots, r => Assert.Equal("autopilot.simulator." + topology.EntryService, r.Source.Name));
        Assert.Equal(result.Stats.Requests, roots.Count);
        foreach (var span in all.Where(a => a.ParentSpanId != default))
        {
            Assert.True(bySpanId.TryGetValue(span.ParentSpanId, out var parent), $"{span.Source.Name} {span.DisplayName} has a parent that was never emitted");
            Assert.Equal(parent.TraceId, span.TraceId);
            switch (span.Kind)
            {
                case ActivityKind.Server:
                    // Across a service boundary: the caller's client span is the parent, named for the callee's route.
                    Assert.Equal(ActivityKind.Client, parent.Kind);
                    Assert.NotEqual(parent.Source.Name, span.Source.Name);
                    Assert.Equal(span.Source.Name, "autopilot.simulator." + (string)parent.GetTagItem("peer.service")!);
                    Assert.Equal(parent.DisplayName, span.DisplayName);
                    Assert.True(span.StartTimeUtc >= parent.StartTimeUtc);
                    break;
                case ActivityKind.Consumer:
                    Assert.Equal(ActivityKind.Producer, parent.Kind);
                    Assert.Equal("orders", span.GetTagItem("messaging.destination.name"));
                    Assert.Equal(parent.GetTagItem("messaging.message.id"), span.GetTagItem("messaging.message.id"));
                    break;
                default:
                    // Client, producer and database spans are children of their own service's server or consumer span.
                    Assert.Equal(parent.Source.Name, span.Source.Name);
                    Assert.True(parent.Kind is ActivityKind.Server or ActivityKind.Consumer);
                    break;
            }

            if (span.GetTagItem("db.system.name") is not null)
            {
                Assert.Equal(ShopTopology.DbSystem, span.GetTagItem("db.system.name"));
                Assert.NotNull(span.GetTagItem("db.namespace"));
                Assert.NotNull(span.GetTagItem("db.collection.name"));
                Assert.NotNull(span.GetTagItem("db.operation.name"));
            }
        }

        Assert.Contains(all, a => a.Kind == ActivityKind.Consumer);
        Assert.Contains(all, a => a.Kind == ActivityKind.Producer);
        Assert.Contains(all, a => a.GetTagItem("db.system.name") is not null);
    }

    private static async Task<(ScenarioResult Result, Dictionary<string, JsonElement> Assets)> RunAsync(Scenario scenario)
    {
        using var dir = new TempDirectory();
        var server = await ShortScenarios.StartServerAsync(dir);
        await using (server)
        {
            var result = await ScenarioRunner.RunAsync(scenario, ShortScenarios.Options(server.HttpEndpoint), ShortScenarios.Topology);
            var assets = await ServerAssertions.AssertInventoryMatchesAsync(server, result.Stats);
            return (result, assets);
        }
    }

    private static List<KeyValuePair<string, long>> Sorted(IReadOnlyDictionary<string, long> counts) =>
        [.. counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)];
}
