using System.Text.RegularExpressions;
using Autopilot.Agents.Scout;
using Autopilot.Agents.Tests.Scout.TestSupport;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>What PR Author gets: one template application per gap, with the variables its template needs.</summary>
public sealed class PlannedChangeTests
{
    private static readonly string[] Common = ["build_file", "build_system", "entry_file", "framework", "language", "service_name", "service_path"];

    [Fact]
    public void Plan_EveryGap_OneChangeWithTemplateTargetsAndCommonVariables()
    {
        foreach (var fixture in Fixture.All)
        {
            using var repo = TempRepo.Copy(fixture);
            var plan = repo.Scan().Plan;
            foreach (var gap in plan.Gaps)
            {
                var change = Assert.Single(plan.PlannedChanges, c => c.GapId == gap.Id);
                Assert.Equal($"{gap.Id}/{change.TemplateId}", change.Id);
                Assert.Matches("^(java|go|python|node|dotnet|common)/[a-z0-9][a-z0-9-]*$", change.TemplateId);
                Assert.NotEmpty(change.TargetFiles);
                Assert.All(Common, key => Assert.True(change.Variables.ContainsKey(key), $"{change.Id} lacks {key}"));
                Assert.Equal(gap.Service, change.Service);
            }
        }
    }

    [Fact]
    public void Plan_JavaSample_TemplatesPerStackAndVariables()
    {
        using var repo = TempRepo.Copy("java-spring-kafka");

        var plan = repo.Scan().Plan;
        PlannedChange For(string gapId) => Assert.Single(plan.PlannedChanges, c => c.GapId == gapId);

        var init = For("missing_otel:orders");
        Assert.Equal("java/otel-init", init.TemplateId);
        Assert.Equal(["pom.xml", "src/main/java/com/acme/orders/OrdersApplication.java"], init.TargetFiles);
        Assert.Equal("http://localhost:4318", init.Variables["otlp_endpoint"]);
        Assert.Equal(("orders", "java", "maven", "spring_boot"), (init.Variables["service_name"], init.Variables["language"], init.Variables["build_system"], init.Variables["framework"]));

        var propagation = For("missing_correlation:orders");
        Assert.Equal("java/otel-propagation", propagation.TemplateId);
        Assert.Equal("http,kafka", propagation.Variables["clients"]);
        var sendLine = Fixture.LineOf("java-spring-kafka", "src/main/java/com/acme/orders/OrderService.java", "kafkaTemplate.send(");
        Assert.Contains($"src/main/java/com/acme/orders/OrderService.java:{sendLine}", propagation.Variables["call_sites"].Split(','));
        Assert.Contains("src/main/java/com/acme/orders/InventoryClient.java", propagation.TargetFiles);

        var contract = For("missing_contract:orders:kafka:orders.created");
        Assert.Equal("common/data-contract", contract.TemplateId);
        Assert.Equal(["contracts/kafka.orders.created.yaml"], contract.TargetFiles);
        Assert.Equal("urn:autopilot:topic:kafka:orders.created", contract.Variables["urn"]);
        Assert.Equal(sendLine.ToString(System.Globalization.CultureInfo.InvariantCulture), contract.Variables["source_line"]);
        var table = For("missing_contract:orders:postgres:orders");
        Assert.Equal("urn:autopilot:dataset:postgres/orders:orders", table.Variables["urn"]); // database from jdbc:postgresql://…/orders
        Assert.Equal("postgres/orders", table.Variables["dataset_namespace"]);

        var lineage = For("missing_lineage_spec:orders");
        Assert.Equal(["openlineage.yaml"], lineage.TargetFiles);
        Assert.Equal("kafka:payments.completed,postgres:orders", lineage.Variables["inputs"]);
        Assert.Equal("kafka:orders.created,postgres:orders", lineage.Variables["outputs"]);

        Assert.Equal(["RUNBOOK.md"], For("missing_runbook:orders").TargetFiles);
        Assert.Equal("java/health-endpoint", For("missing_health_endpoint:orders").TemplateId);
    }

    [Fact]
    public void Plan_Monorepo_CollectorEndpointAndCodeOwners()
    {
        using var repo = TempRepo.Copy("monorepo");

        var plan = repo.Scan().Plan;

        var init = Assert.Single(plan.PlannedChanges, c => c.GapId == "missing_otel:shop-orders");
        Assert.Equal("http://otel-collector:4318", init.Variables["otlp_endpoint"]); // the Collector in docker-compose.yml
        var contract = Assert.Single(plan.PlannedChanges, c => c.GapId == "missing_contract:shop-orders:postgres:shop_orders");
        Assert.Equal("@acme/team-orders", contract.Variables["owner"]); // .github/CODEOWNERS
        Assert.Equal(["contracts/postgres.shop_orders.yaml"], contract.TargetFiles);
        var worker = Assert.Single(plan.PlannedChanges, c => c.GapId == "missing_contract:worker:postgres:shipments");
        Assert.Equal("@acme/platform", worker.Variables["owner"]);
        Assert.Equal("node/otel-init", Assert.Single(plan.PlannedChanges, c => c.GapId == "missing_otel:shop-web").TemplateId);
        Assert.Equal("python/otel-propagation", Assert.Single(plan.PlannedChanges, c => c.GapId == "missing_correlation:worker").TemplateId);
        Assert.All(plan.PlannedChanges, c => Assert.All(c.Variables.Keys, k => Assert.Matches(new Regex("^[a-z][a-z0-9_]*$"), k)));
    }
}
