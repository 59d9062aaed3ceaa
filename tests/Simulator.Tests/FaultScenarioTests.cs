using System.Text.Json;
using Autopilot.Simulator.Accuracy;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Tests.TestSupport;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Tests;

/// <summary>
/// One scenario of each fault kind against a real in-process server: every span, log, metric point, record and
/// lineage event the simulation sent is in the asset inventory (exact counts, at simulated times), and after the
/// drain the fault's findings are on the assets it affects. Assertions are on what arrived, never on timing.
/// </summary>
[Collection(SimulatorCollection.Name)]
public sealed class FaultScenarioTests
{
    private static string Service(string name) => ShopTopology.ServiceUrn(ShortScenarios.Environment, name);

    [Fact]
    public Task Latency_OnPayment_FlagsPaymentAndItsCaller() => RunAsync(FaultKind.Latency, "payment", (findings, _) =>
    {
        Has(findings, "anomaly.latency", Service("payment"));
        Has(findings, "anomaly.latency", Service("checkout"));
    });

    [Fact]
    public Task DeployErrors_OnPayment_FlagsErrorRatesOnPaymentAndItsCaller() => RunAsync(FaultKind.DeployErrors, "payment", (findings, _) =>
    {
        Has(findings, "dq.error_rate", Service("payment"));
        Has(findings, "dq.error_rate", Service("checkout"));
    });

    [Fact]
    public Task CpuSaturation_OnCatalog_FlagsItsCpuGaugeAtSimulatedTime() => RunAsync(FaultKind.CpuSaturation, "catalog", (findings, scenario) =>
    {
        // The metric point's time is the simulated collection time (stamped on the wire), not the wall clock of the run.
        Has(findings, "anomaly.metric", Service("catalog"), f => f.Summary.Contains("process.cpu.utilization", StringComparison.Ordinal)
            && f.Finding.TimeUnixNano >= scenario.Onset.ToUnixTimeMilliseconds() * 1_000_000 && f.Finding.TimeUnixNano <= scenario.End.ToUnixTimeMilliseconds() * 1_000_000);
        Has(findings, "anomaly.latency", Service("catalog"));
    });

    [Fact]
    public Task StaleDataset_EtlStops_FlagsTheJobAndTheDatasetItWrites() => RunAsync(FaultKind.StaleDataset, "etl.orders_daily", (findings, _) =>
    {
        Has(findings, "freshness.stale", ShortScenarios.Topology.JobUrn("etl.orders_daily"));
        Has(findings, "freshness.stale", Dataset("orders_daily"));
    });

    [Fact]
    public Task SchemaChange_OnOrdersDaily_FlagsTheSchemaAndTheFailingDownstreamJob() => RunAsync(FaultKind.SchemaChange, "etl.orders_daily", (findings, _) =>
    {
        Has(findings, "drift.schema", Dataset("orders_daily"), f => f.Summary.Contains("amount", StringComparison.Ordinal));

        // reporting.revenue_daily fails on every run after the change, so it stops completing and goes stale.
        Has(findings, "freshness.stale", ShortScenarios.Topology.JobUrn("reporting.revenue_daily"));
        Has(findings, "freshness.stale", Dataset("revenue_daily"));
    });

    [Fact]
    public Task SlowDatabase_OnInventoryTable_FlagsItsStatementsAndTheCallers() => RunAsync(FaultKind.SlowDatabase, "shop.inventory", (findings, _) =>
    {
        Has(findings, "anomaly.latency", Service("inventory"), f => f.Summary.Contains(" inventory'", StringComparison.Ordinal));
        Has(findings, "anomaly.latency", Service("checkout"));
    });

    private static string Dataset(string name) =>
        ShopTopology.DatasetUrn(ShortScenarios.Topology.Jobs.SelectMany(j => j.Outputs).First(d => d.Name == name));

    private static async Task RunAsync(FaultKind kind, string target, Action<IReadOnlyList<(FindingView Finding, string Summary)>, Scenario> check)
    {
        using var dir = new TempDirectory();
        var server = await ShortScenarios.StartServerAsync(dir);
        await using (server)
        {
            var scenario = ShortScenarios.Create(kind, target);
            var result = await ScenarioRunner.RunAsync(scenario, ShortScenarios.Options(server.HttpEndpoint), ShortScenarios.Topology);
            Assert.Equal(0, result.Stats.ExportFailures);
            Assert.True(result.Stats.Requests > 1000, $"only {result.Stats.Requests} requests in {scenario.End - scenario.Start}");

            var assets = await ServerAssertions.AssertInventoryMatchesAsync(server, result.Stats);
            foreach (var service in ShortScenarios.Topology.Services)
            {
                var asset = assets[Service(service.Name)];
                Assert.Equal("service", asset.GetProperty("kind").GetString());
                Assert.True(asset.GetProperty("spans").GetInt64() > 0 && asset.GetProperty("metrics").GetInt64() > 0, $"{service.Name}: {asset}");

                // Everything is stamped with simulated time, which lies in the past: not the wall clock of the test.
                Assert.InRange(asset.GetProperty("firstSeen").GetDateTimeOffset(), scenario.Start, scenario.Start.AddMinutes(1));
                Assert.InRange(asset.GetProperty("lastSeen").GetDateTimeOffset(), scenario.End.AddMinutes(-1), scenario.End.AddMinutes(1));
            }

            Assert.True(assets[ShopTopology.TopicUrn("orders")].GetProperty("records").GetInt64() > 0);
            Assert.True(assets[ShopTopology.TableUrn("shop", "orders")].GetProperty("records").GetInt64() > 0);

            await server.DrainAsync();
            var findings = await ServerAssertions.FindingsAsync(server, scenario.Onset);
            check(findings, scenario);
        }
    }

    private static void Has(IReadOnlyList<(FindingView Finding, string Summary)> findings, string kind, string urn, Func<(FindingView Finding, string Summary), bool>? also = null) =>
        Assert.True(findings.Any(f => f.Finding.Kind == kind && f.Finding.Urn == urn && (also is null || also(f))),
            $"no {kind} finding on {urn} after the onset; findings:\n{ServerAssertions.Describe(findings)}");
}
