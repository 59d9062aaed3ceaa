using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Host.Demo;
using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Tests.Demo;

/// <summary>The demo's parsing, placement of faults and attribution of findings to faults, without a server.</summary>
public sealed class DemoScriptingTests
{
    [Theory]
    [InlineData("2m", 120)]
    [InlineData("90s", 90)]
    [InlineData("1m30s", 90)]
    [InlineData("1h50m", 6600)]
    [InlineData("500ms", 0.5)]
    [InlineData("00:01:30", 90)]
    public void TryParseDuration_Accepted_GivesSeconds(string text, double seconds)
    {
        Assert.True(DemoFormat.TryParseDuration(text, out var value));
        Assert.Equal(seconds, value.TotalSeconds, 3);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("2 minutes")]
    [InlineData("-5s")]
    [InlineData("m")]
    public void TryParseDuration_Malformed_IsRefused(string text) => Assert.False(DemoFormat.TryParseDuration(text, out _));

    [Fact]
    public void Parse_KindTargetAndTime_AreRead()
    {
        var request = DemoFaultRequest.Parse(" deploy-errors:payment@15s ", out var problem);
        Assert.Null(problem);
        Assert.Equal(new DemoFaultRequest(FaultKind.DeployErrors, "payment", TimeSpan.FromSeconds(15)), request);
        Assert.Equal(new DemoFaultRequest(FaultKind.SchemaChange, null, null), DemoFaultRequest.Parse("schema-change", out _));
    }

    [Theory]
    [InlineData("meltdown:payment", "unknown fault kind 'meltdown'")]
    [InlineData("latency:@10s", "empty target")]
    [InlineData("latency:payment@later", "'later' is not a time")]
    public void Parse_BadEntry_NamesTheProblem(string text, string expected)
    {
        Assert.Null(DemoFaultRequest.Parse(text, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_UntimedFaults_AreSpreadOverTheFirst60PercentInOrder()
    {
        var options = new DemoOptions
        {
            Duration = TimeSpan.FromMinutes(2),
            Faults = [new(FaultKind.DeployErrors, "payment", null), new(FaultKind.SlowDatabase, "shop.inventory", null), new(FaultKind.SchemaChange, null, null)],
        };
        var plan = DemoPlan.Build(options, DemoTopology.Create());
        Assert.Equal([10, 40, 70], plan.Select(p => p.At.TotalSeconds));
        Assert.Equal([1, 2, 3], plan.Select(p => p.Number));
        Assert.Equal([FaultKind.DeployErrors, FaultKind.SlowDatabase, FaultKind.SchemaChange], plan.Select(p => p.Spec.Kind));
        Assert.Equal("urn:autopilot:service:demo:payment", plan[0].Spec.RootUrn);
        Assert.Equal(DemoPlan.DeployDelay, plan[0].Spec.Delay);
    }

    [Fact]
    public void Build_Defaults_DeployThenSchemaChange()
    {
        var plan = DemoPlan.Build(new DemoOptions(), DemoTopology.Create());
        Assert.Equal([(FaultKind.DeployErrors, "urn:autopilot:service:demo:payment", 10.0), (FaultKind.SchemaChange, "urn:autopilot:dataset:postgresql/analytics:orders_daily", 70.0)],
            plan.Select(p => (p.Spec.Kind, p.Spec.RootUrn, p.At.TotalSeconds)));
    }

    [Fact]
    public void Build_TimedFaults_AreNumberedInInjectionOrder()
    {
        var options = new DemoOptions
        {
            Faults = [new(FaultKind.SchemaChange, null, TimeSpan.FromSeconds(50)), new(FaultKind.Latency, "shipping", TimeSpan.FromSeconds(5))],
        };
        var plan = DemoPlan.Build(options, DemoTopology.Create());
        Assert.Equal([FaultKind.Latency, FaultKind.SchemaChange], plan.Select(p => p.Spec.Kind));
        Assert.Equal([1, 2], plan.Select(p => p.Number));
    }

    [Fact]
    public void DemoTopology_RunsTheJobsEveryMinute_AndKeepsTheShop()
    {
        var shop = Autopilot.Simulator.Topology.ShopTopology.Default();
        var demo = DemoTopology.Create();
        Assert.All(demo.Jobs, j => Assert.Equal(TimeSpan.FromMinutes(1), j.Interval));
        Assert.Equal(shop.Jobs.Select(j => (j.Name, j.Inputs.Count, j.Outputs.Count)), demo.Jobs.Select(j => (j.Name, j.Inputs.Count, j.Outputs.Count)));
        Assert.Equal(shop.Services.Select(s => s.Name), demo.Services.Select(s => s.Name));
    }

    [Fact]
    public void Attribute_SharedCaller_GoesToTheNearestRoot_AndEachFaultFindsItsIncident()
    {
        // Two faults reach the gateway; the gateway is one hop from payment's caller chain and two from inventory's table.
        var payment = Fault(1, "urn:p", ["urn:p", "urn:checkout", "urn:gw"], onset: 100);
        var table = Fault(2, "urn:t", ["urn:t", "urn:inventory", "urn:checkout", "urn:gw"], onset: 200);
        var hops = new Dictionary<(string, string), int>
        {
            [("urn:p", "urn:checkout")] = 1, [("urn:p", "urn:gw")] = 2,
            [("urn:t", "urn:inventory")] = 1, [("urn:t", "urn:checkout")] = 2, [("urn:t", "urn:gw")] = 3,
        };
        var findings = new[]
        {
            Finding("f1", "urn:p", 150),
            Finding("f2", "urn:gw", 150),
            Finding("f3", "urn:gw", 250),          // after both onsets: nearer to payment
            Finding("f4", "urn:inventory", 250),   // only the table's fault reaches it
            Finding("f5", "urn:elsewhere", 250),   // no fault reaches it
            Finding("f6", "urn:p", 50),            // before any onset
            Finding("f7", "urn:p", 260, "freshness.recovered"),
        };

        var byFault = FaultAttribution.Attribute([payment, table], findings, (a, b) => hops.TryGetValue((a, b), out var h) ? h : int.MaxValue);

        Assert.Equal(["f1", "f2", "f3"], byFault[1].Select(f => f.Id));
        Assert.Equal(["f4"], byFault[2].Select(f => f.Id));
        var incidents = new[] { Incident("inc-a", 150, "f1", "f2", "f3"), Incident("inc-b", 250, "f4", "f5") };
        Assert.Equal("inc-a", FaultAttribution.IncidentOf(byFault[1], incidents).Incident?.Id);
        Assert.Equal(("inc-b", 1), (FaultAttribution.IncidentOf(byFault[2], incidents).Incident?.Id, FaultAttribution.IncidentOf(byFault[2], incidents).Count));
        Assert.Null(FaultAttribution.IncidentOf([], incidents).Incident);
    }

    [Fact]
    public void IncidentOf_Tie_GoesToTheIncidentOpenedFirst()
    {
        var findings = new[] { Finding("f1", "urn:a", 10), Finding("f2", "urn:a", 20) };
        var incidents = new[] { Incident("inc-late", 20, "f2"), Incident("inc-early", 10, "f1") };
        Assert.Equal("inc-early", FaultAttribution.IncidentOf(findings, incidents).Incident?.Id);
    }

    private static InjectedFault Fault(int number, string root, string[] affected, long onset) =>
        new(new PlannedFault(number, new FaultSpec(FaultKind.Latency, root, root, affected, 1, TimeSpan.Zero, null, 0, "test fault"), TimeSpan.Zero), onset, TimeSpan.Zero, 0);

    private static Finding Finding(string id, string urn, long time, string kind = "anomaly.latency") =>
        new(id, urn, "anomaly", kind, FindingSeverity.Warning, 0.8, time - 10, time, time, "test", []);

    private static Incident Incident(string id, long opened, params string[] findings) =>
        new(id, IncidentStatus.Open, FindingSeverity.Warning, opened, opened, null, ["urn:x"], findings, [], [], "test");
}
