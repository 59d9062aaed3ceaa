using Autopilot.Agents.Scout;
using Autopilot.Agents.Tests.Scout.TestSupport;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>
/// The instrumented sample has everything Scout looks for, in five stacks: it must yield no gap. Each mutation
/// test removes one piece and expects exactly that gap back, so "no gap" cannot come from not looking.
/// </summary>
public sealed class InstrumentedSampleTests
{
    private const string Sample = "instrumented";

    [Fact]
    public void Scan_InstrumentedSample_NoGapsAndEveryServiceFullyObserved()
    {
        using var repo = TempRepo.Copy(Sample);

        var plan = repo.Scan().Plan;

        Assert.Empty(plan.Gaps);
        Assert.Empty(plan.PlannedChanges);
        Assert.Equal(["admin", "checkout", "gateway", "ledger", "search"], plan.Archetypes.Select(a => a.Name));
        Assert.Equal(
            [Language.Csharp, Language.Java, Language.Typescript, Language.Go, Language.Python],
            plan.Archetypes.Select(a => a.Language));
        foreach (var a in plan.Archetypes)
        {
            var o = a.Observability;
            Assert.True(o.OtelSdk && o.OtelInitialised && o.Propagation && o.ServiceNameConfigured && o.HealthEndpoint && o.Runbook, $"{a.Name}: {o}");
            Assert.True(a.Inputs.Count + a.Outputs.Count == 0 || o.LineageSpec, $"{a.Name} has datasets but no lineage spec");
            Assert.All(a.Outputs, d => Assert.True(d.HasContract, $"{a.Name}: {d.Name} has no contract"));
        }

        // The services do talk to brokers and databases: "no gap" is not "nothing seen".
        Assert.Equal(["checkout.completed", "gateway.requests", "ledger.entries"], plan.Archetypes.SelectMany(a => a.Outputs).Where(d => d.Kind == DatasetKind.Topic).Select(d => d.Name).Order());
        Assert.Contains(PlanAssert.Service(plan, "checkout").Outputs, d => d is { Kind: DatasetKind.Table, Name: "public.checkouts" });
        Assert.Equal(1.0, plan.OverallConfidence);
    }

    [Theory]
    [InlineData("checkout/Dockerfile", "\"-javaagent:/app/opentelemetry-javaagent.jar\", ", "", "missing_otel:checkout,missing_correlation:checkout")]
    [InlineData("ledger/entries.go", "otelhttp.NewTransport(http.DefaultTransport)", "http.DefaultTransport", "missing_correlation:ledger")]
    [InlineData("ledger/entries.go", "otel.GetTextMapPropagator().Inject(c.Request.Context(), carrier)", "_ = carrier", "missing_correlation:ledger")]
    [InlineData("search/Dockerfile", " && opentelemetry-bootstrap -a install", "", "missing_correlation:search")]
    [InlineData("search/Dockerfile", "\"opentelemetry-instrument\", ", "", "missing_otel_init:search,missing_correlation:search")]
    [InlineData("gateway/src/tracing.ts", "serviceName: 'gateway',", "", "missing_resource_attributes:gateway")]
    [InlineData("admin/Program.cs", "app.MapHealthChecks(\"/healthz\");", "", "missing_health_endpoint:admin")]
    [InlineData("admin/Program.cs", ".AddHttpClientInstrumentation()", "", "missing_correlation:admin")]
    [InlineData("gateway/src/tracing.ts", "instrumentations: [getNodeAutoInstrumentations()],", "", "missing_correlation:gateway")]
    [InlineData("contracts/ledger.datacontract.yaml", "topic: ledger.entries", "topic: ledger.other", "missing_contract:ledger:kafka:ledger.entries")]
    [InlineData("contracts/checkouts.yaml", "public.checkouts", "public.carts", "missing_contract:checkout:postgres:public.checkouts")]
    public void Scan_OnePieceRemoved_ExactlyThatGap(string file, string remove, string replacement, string expectedGaps)
    {
        using var repo = TempRepo.Copy(Sample);
        var text = repo.Read(file);
        Assert.Contains(remove, text, StringComparison.Ordinal);
        repo.Write(file, text.Replace(remove, replacement, StringComparison.Ordinal));

        var plan = repo.Scan().Plan;

        // Removing the agent or the launcher also removes what propagated context: those two gaps are both real.
        Assert.Equal(expectedGaps.Split(','), plan.Gaps.Select(g => g.Id));
    }

    [Theory]
    [InlineData("checkout/RUNBOOK.md", "missing_runbook:checkout")]
    [InlineData("gateway/openlineage.yaml", "missing_lineage_spec:gateway")]
    public void Scan_OneFileRemoved_ExactlyThatGap(string file, string expectedGap)
    {
        using var repo = TempRepo.Copy(Sample);
        repo.Delete(file);

        Assert.Equal([expectedGap], repo.Scan().Plan.Gaps.Select(g => g.Id));
    }
}
