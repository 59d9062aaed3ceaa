using Autopilot.Agents.Scout;
using Autopilot.Agents.Tests.Scout.TestSupport;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>Every gap type, with the evidence a developer would check: the file, the line and what was looked for.</summary>
public sealed class GapEvidenceTests
{
    private const string Java = "java-spring-kafka";

    [Fact]
    public void MissingOtel_JavaWithoutSdkOrAgent_CitesBuildFileAndDockerfile()
    {
        using var repo = TempRepo.Copy(Java);

        var gap = PlanAssert.Gap(repo.Scan().Plan, "missing_otel:orders");

        Assert.Equal(GapType.MissingOtel, gap.Type);
        Assert.Equal(0.9, gap.Confidence); // a Dockerfile was checked for -javaagent
        var pom = Assert.Single(gap.Evidence, e => e.File == "pom.xml");
        Assert.Null(pom.Found);
        Assert.Contains("io.opentelemetry:opentelemetry-sdk", pom.LookedFor, StringComparison.Ordinal);
        var docker = Assert.Single(gap.Evidence, e => e.File == "Dockerfile");
        Assert.Contains("-javaagent", docker.LookedFor, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOtel_AgentAddedToDockerfile_GapGoesAway()
    {
        using var repo = TempRepo.Copy(Java);
        repo.Write("Dockerfile", repo.Read("Dockerfile").Replace("\"-jar\"", "\"-javaagent:/otel/opentelemetry-javaagent.jar\", \"-jar\"", StringComparison.Ordinal));

        var plan = repo.Scan().Plan;

        PlanAssert.NoGap(plan, "missing_otel:orders");
        PlanAssert.NoGap(plan, "missing_correlation:orders"); // the agent instruments HTTP and Kafka
        Assert.True(plan.Archetypes[0].Observability.Propagation);
    }

    [Fact]
    public void MissingOtelInit_PythonSdkWithoutSetUp_CitesTheDistroLine()
    {
        using var repo = TempRepo.Copy("python-fastapi");

        var gap = PlanAssert.Gap(repo.Scan().Plan, "missing_otel_init:inventory");

        var line = Fixture.LineOf("python-fastapi", "pyproject.toml", "opentelemetry-distro");
        Assert.Contains("opentelemetry-distro", PlanAssert.At(gap, "pyproject.toml", line).Found, StringComparison.Ordinal);
        Assert.Contains(gap.Evidence, e => e.Found is null && e.LookedFor.Contains("opentelemetry-instrument", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingOtelInit_LauncherInDockerfile_GapGoesAway()
    {
        using var repo = TempRepo.Copy("python-fastapi");
        repo.Write("Dockerfile", repo.Read("Dockerfile").Replace("CMD [\"uvicorn\"", "CMD [\"opentelemetry-instrument\", \"uvicorn\"", StringComparison.Ordinal));

        var plan = repo.Scan().Plan;

        PlanAssert.NoGap(plan, "missing_otel_init:inventory");
        // The launcher loads the FastAPI instrumentation that is installed; requests and kafka-python have none installed.
        var correlation = PlanAssert.Gap(plan, "missing_correlation:inventory");
        Assert.DoesNotContain(correlation.Evidence, e => e.LookedFor.StartsWith("incoming HTTP", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingCorrelation_Java_CitesEveryCallSite()
    {
        using var repo = TempRepo.Copy(Java);

        var gap = PlanAssert.Gap(repo.Scan().Plan, "missing_correlation:orders");

        var http = PlanAssert.At(gap, "src/main/java/com/acme/orders/InventoryClient.java", Fixture.LineOf(Java, "src/main/java/com/acme/orders/InventoryClient.java", "rest.postForObject("));
        Assert.StartsWith("rest.postForObject(", http.Found, StringComparison.Ordinal);
        Assert.Contains("HTTP client call", http.LookedFor, StringComparison.Ordinal);
        var send = PlanAssert.At(gap, "src/main/java/com/acme/orders/OrderService.java", Fixture.LineOf(Java, "src/main/java/com/acme/orders/OrderService.java", "kafkaTemplate.send("));
        Assert.Contains("kafka producer", send.LookedFor, StringComparison.Ordinal);
        PlanAssert.At(gap, "src/main/java/com/acme/orders/PaymentEventsListener.java", Fixture.LineOf(Java, "src/main/java/com/acme/orders/PaymentEventsListener.java", "@KafkaListener("));
        // Incoming HTTP: the web starter is the witness.
        PlanAssert.At(gap, "pom.xml", Fixture.LineOf(Java, "pom.xml", "<artifactId>spring-boot-starter-web</artifactId>"));
        Assert.DoesNotContain(gap.Evidence, e => e.File.Contains("/test/", StringComparison.Ordinal));
        Assert.Equal(0.9, gap.Confidence); // call sites found, no OpenTelemetry at all
    }

    [Fact]
    public void MissingCorrelation_Dotnet_OnlyTheUninstrumentedClients()
    {
        using var repo = TempRepo.Copy("dotnet-aspnet");

        var plan = repo.Scan().Plan;
        var gap = PlanAssert.Gap(plan, "missing_correlation:billing");

        PlanAssert.At(gap, "src/Billing.Api/PaymentsClient.cs", Fixture.LineOf("dotnet-aspnet", "src/Billing.Api/PaymentsClient.cs", "GetFromJsonAsync"));
        PlanAssert.At(gap, "src/Billing.Api/InvoicePublisher.cs", Fixture.LineOf("dotnet-aspnet", "src/Billing.Api/InvoicePublisher.cs", "_producer.ProduceAsync("));
        // AddAspNetCoreInstrumentation covers incoming requests: no server evidence.
        Assert.DoesNotContain(gap.Evidence, e => e.LookedFor.StartsWith("incoming HTTP", StringComparison.Ordinal));
        Assert.DoesNotContain(gap.Evidence, e => e.File.StartsWith("tests/", StringComparison.Ordinal));
        var change = Assert.Single(plan.PlannedChanges, c => c.GapId == gap.Id);
        Assert.Equal("http,kafka", change.Variables["clients"]);
    }

    [Fact]
    public void MissingCorrelation_GoKafkaPropagatorInjected_KafkaCovered()
    {
        using var repo = TempRepo.Copy("go-gin");
        var before = PlanAssert.Gap(repo.Scan().Plan, "missing_correlation:payments");
        Assert.Contains(before.Evidence, e => e.LookedFor.Contains("kafka producer", StringComparison.Ordinal));

        repo.Write("internal/payments/propagation.go", """
            package payments

            import (
            	"context"

            	"go.opentelemetry.io/otel"
            	"go.opentelemetry.io/otel/propagation"
            )

            func inject(ctx context.Context, carrier propagation.MapCarrier) {
            	otel.GetTextMapPropagator().Inject(ctx, carrier)
            }
            """);
        var after = PlanAssert.Gap(repo.Scan().Plan, "missing_correlation:payments");

        // Injecting the context into message headers by hand is propagation, whatever sets the SDK up.
        Assert.DoesNotContain(after.Evidence, e => e.LookedFor.Contains("kafka producer", StringComparison.Ordinal));
        Assert.Contains(after.Evidence, e => e.LookedFor.Contains("HTTP client call", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingLineageSpec_CitesTheDatasetsAndTheSpecLookedFor()
    {
        using var repo = TempRepo.Copy(Java);

        var gap = PlanAssert.Gap(repo.Scan().Plan, "missing_lineage_spec:orders");

        PlanAssert.At(gap, "src/main/java/com/acme/orders/OrderService.java", Fixture.LineOf(Java, "src/main/java/com/acme/orders/OrderService.java", "INSERT INTO orders"));
        var spec = Assert.Single(gap.Evidence, e => e.File == "openlineage.yaml");
        Assert.Null(spec.Found);
    }

    [Fact]
    public void MissingLineageSpec_SpecAdded_GapGoesAway()
    {
        using var repo = TempRepo.Copy(Java);
        repo.Write("openlineage.yaml", "job: { namespace: shop, name: orders }\n");

        var plan = repo.Scan().Plan;

        PlanAssert.NoGap(plan, "missing_lineage_spec:orders");
        Assert.True(plan.Archetypes[0].Observability.LineageSpec);
    }

    [Fact]
    public void MissingContract_OnePerWrittenDatasetWithoutContract()
    {
        using var repo = TempRepo.Copy(Java);

        var plan = repo.Scan().Plan;

        var topic = PlanAssert.Gap(plan, "missing_contract:orders:kafka:orders.created");
        var send = PlanAssert.At(topic, "src/main/java/com/acme/orders/OrderService.java", Fixture.LineOf(Java, "src/main/java/com/acme/orders/OrderService.java", "kafkaTemplate.send("));
        Assert.Contains("Topics.ORDER_CREATED_TOPIC", send.Found, StringComparison.Ordinal);
        Assert.Contains(topic.Evidence, e => e.File == "contracts" && e.Found is null);
        var table = PlanAssert.Gap(plan, "missing_contract:orders:postgres:orders");
        PlanAssert.At(table, "src/main/java/com/acme/orders/OrderService.java", Fixture.LineOf(Java, "src/main/java/com/acme/orders/OrderService.java", "INSERT INTO orders"));
        // Read-only datasets need no contract from this service.
        PlanAssert.NoGap(plan, "missing_contract:orders:kafka:payments.completed");
    }

    [Fact]
    public void MissingContract_ContractAdded_GapGoesAway()
    {
        using var repo = TempRepo.Copy(Java);
        repo.Write("contracts/orders-created.yaml", "dataset: { namespace: kafka, name: orders.created }\nowner: team-orders\n");

        var plan = repo.Scan().Plan;

        PlanAssert.NoGap(plan, "missing_contract:orders:kafka:orders.created");
        PlanAssert.Gap(plan, "missing_contract:orders:postgres:orders");
        var planned = Assert.Single(plan.PlannedChanges, c => c.GapId == "missing_contract:orders:postgres:orders");
        Assert.Equal(["contracts/postgres.orders.yaml"], planned.TargetFiles); // the existing contracts folder
    }

    [Fact]
    public void MissingRunbook_AbsentInJava_PresentInNode()
    {
        using var java = TempRepo.Copy(Java);
        using var node = TempRepo.Copy("node-express");

        var gap = PlanAssert.Gap(java.Scan().Plan, "missing_runbook:orders");
        var nodePlan = node.Scan().Plan;

        Assert.Equal("RUNBOOK.md", Assert.Single(gap.Evidence).File);
        PlanAssert.NoGap(nodePlan, "missing_runbook:notifications");
    }

    [Fact]
    public void MissingRunbook_FrontMatterNamesTheService_Covers()
    {
        using var repo = TempRepo.Copy(Java);
        repo.Write("docs/runbooks/kafka-consumers.md", "---\nurns: [\"urn:autopilot:service:prod:orders\"]\n---\n# Kafka consumers\n");

        PlanAssert.NoGap(repo.Scan().Plan, "missing_runbook:orders");
    }

    [Fact]
    public void MissingHealthEndpoint_AspNetWithoutHealthRoute_CitesTheWebSdk()
    {
        using var repo = TempRepo.Copy("dotnet-aspnet");

        var gap = PlanAssert.Gap(repo.Scan().Plan, "missing_health_endpoint:billing");

        Assert.Contains("Microsoft.NET.Sdk.Web", PlanAssert.At(gap, "src/Billing.Api/Billing.Api.csproj", 1).Found, StringComparison.Ordinal);
        Assert.Contains(gap.Evidence, e => e.File == "src/Billing.Api/Program.cs" && e.Found is null && e.LookedFor.Contains("MapHealthChecks", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingHealthEndpoint_RouteAdded_GapGoesAway()
    {
        using var repo = TempRepo.Copy("dotnet-aspnet");
        repo.Write("src/Billing.Api/Program.cs", repo.Read("src/Billing.Api/Program.cs").Replace("app.Run();", "app.MapGet(\"/healthz\", () => \"ok\");\napp.Run();", StringComparison.Ordinal));

        PlanAssert.NoGap(repo.Scan().Plan, "missing_health_endpoint:billing");
    }

    [Fact]
    public void MissingResourceAttributes_SdkWithoutServiceName_CitesSdkAndDockerfile()
    {
        using var repo = TempRepo.Copy("dotnet-aspnet");

        var plan = repo.Scan().Plan;
        var gap = PlanAssert.Gap(plan, "missing_resource_attributes:billing");

        var sdkLine = Fixture.LineOf("dotnet-aspnet", "src/Billing.Api/Billing.Api.csproj", "OpenTelemetry.Extensions.Hosting");
        PlanAssert.At(gap, "src/Billing.Api/Billing.Api.csproj", sdkLine);
        Assert.Contains(gap.Evidence, e => e.File == "Dockerfile" && e.Found is null);
        var change = Assert.Single(plan.PlannedChanges, c => c.GapId == gap.Id);
        Assert.Equal(["Dockerfile"], change.TargetFiles);
        Assert.Equal("service.name=billing,service.namespace=repo", change.Variables["resource_attributes"]);
    }

    [Fact]
    public void MissingResourceAttributes_OtelServiceNameInDockerfile_GapGoesAway()
    {
        using var repo = TempRepo.Copy("dotnet-aspnet");
        repo.Write("Dockerfile", repo.Read("Dockerfile").Replace("ENV ASPNETCORE_URLS", "ENV OTEL_SERVICE_NAME=billing\nENV ASPNETCORE_URLS", StringComparison.Ordinal));

        var plan = repo.Scan().Plan;

        PlanAssert.NoGap(plan, "missing_resource_attributes:billing");
        Assert.True(plan.Archetypes[0].Observability.ServiceNameConfigured);
    }

    [Fact]
    public void Gaps_EveryGapHasEvidenceAndAConfidenceBetweenZeroAndOne()
    {
        foreach (var fixture in Fixture.All)
        {
            using var repo = TempRepo.Copy(fixture);
            foreach (var gap in repo.Scan().Plan.Gaps)
            {
                Assert.NotEmpty(gap.Evidence);
                Assert.InRange(gap.Confidence, 0.01, 1.0);
                Assert.All(gap.Evidence, e => Assert.False(string.IsNullOrWhiteSpace(e.LookedFor)));
                Assert.All(gap.Evidence.Where(e => e.Line is not null), e => Assert.True(File.Exists(Path.Combine(repo.Path, e.File)), $"{gap.Id}: evidence file {e.File} does not exist"));
            }
        }
    }
}
