using Autopilot.Agents.Scout;
using Autopilot.Agents.Tests.Scout.TestSupport;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>Each sample repository is recognised as the service it is: language, build, framework, clients, entry point, datasets.</summary>
public sealed class ArchetypeDetectionTests
{
    [Fact]
    public void Scan_JavaSpringKafka_IsMavenSpringBootWithKafkaAndJdbc()
    {
        using var repo = TempRepo.Copy("java-spring-kafka");

        var plan = repo.Scan().Plan;

        var orders = Assert.Single(plan.Archetypes);
        Assert.Equal("orders", orders.Name); // spring.application.name wins over the artifactId
        Assert.Equal(".", orders.Path);
        Assert.Equal((Language.Java, BuildSystem.Maven, "pom.xml", Framework.SpringBoot), (orders.Language, orders.BuildSystem, orders.BuildFile, orders.Framework));
        Assert.Equal("src/main/java/com/acme/orders/OrdersApplication.java", orders.EntryFile);
        Assert.Equal(["kafka"], orders.Messaging);
        Assert.Equal(["jdbc"], orders.DataAccess);
        Assert.False(orders.Observability.OtelSdk); // opentelemetry-sdk-testing is test scope
        Assert.Contains(orders.Evidence, e => e.File == "pom.xml" && e.Line == Fixture.LineOf("java-spring-kafka", "pom.xml", "<artifactId>spring-kafka</artifactId>"));

        // Topic names resolved through a constant in another file and a Spring placeholder in application.yml.
        var created = Assert.Single(orders.Outputs, d => d.Kind == DatasetKind.Topic);
        Assert.Equal(("kafka", "orders.created"), (created.System, created.Name));
        Assert.Equal(Fixture.LineOf("java-spring-kafka", "src/main/java/com/acme/orders/OrderService.java", "kafkaTemplate.send("), created.Line);
        var payments = Assert.Single(orders.Inputs, d => d.Kind == DatasetKind.Topic);
        Assert.Equal("payments.completed", payments.Name);
        var table = Assert.Single(orders.Outputs, d => d.Kind == DatasetKind.Table);
        Assert.Equal(("postgres", "orders"), (table.System, table.Name));
        Assert.DoesNotContain(orders.Outputs.Concat(orders.Inputs), d => d.Name == "test-only-topic");
    }

    [Fact]
    public void Scan_GoGin_IsGoModulesGinWithKafkaGoAndPgx()
    {
        using var repo = TempRepo.Copy("go-gin");

        var payments = Assert.Single(repo.Scan().Plan.Archetypes);

        Assert.Equal("payments", payments.Name); // last element of the module path
        Assert.Equal((Language.Go, BuildSystem.GoModules, "go.mod", Framework.Gin), (payments.Language, payments.BuildSystem, payments.BuildFile, payments.Framework));
        Assert.Equal("main.go", payments.EntryFile);
        Assert.Equal(["kafka"], payments.Messaging);
        Assert.Equal(["pgx"], payments.DataAccess);
        Assert.False(payments.Observability.OtelSdk); // go.opentelemetry.io/otel/sdk is only an indirect requirement
        Assert.True(payments.Observability.HealthEndpoint); // r.GET("/healthz", …)
        Assert.Contains(payments.Outputs, d => d is { Kind: DatasetKind.Topic, System: "kafka", Name: "payments.completed" });
        Assert.Contains(payments.Outputs, d => d is { Kind: DatasetKind.Table, System: "postgres", Name: "payments" });
    }

    [Fact]
    public void Scan_PythonFastApi_IsPyprojectFastApiWithKafkaPythonAndSqlAlchemy()
    {
        using var repo = TempRepo.Copy("python-fastapi");

        var inventory = Assert.Single(repo.Scan().Plan.Archetypes);

        Assert.Equal("inventory", inventory.Name);
        Assert.Equal((Language.Python, BuildSystem.Pyproject, "pyproject.toml", Framework.Fastapi), (inventory.Language, inventory.BuildSystem, inventory.BuildFile, inventory.Framework));
        Assert.Equal("app/main.py", inventory.EntryFile);
        Assert.Equal(["kafka"], inventory.Messaging);
        Assert.Equal(["psycopg", "sqlalchemy"], inventory.DataAccess);
        Assert.True(inventory.Observability.OtelSdk);
        Assert.False(inventory.Observability.OtelInitialised);
        // ITEMS_TOPIC = os.getenv("ITEMS_TOPIC", "inventory.items"): the default is the name.
        Assert.Contains(inventory.Outputs, d => d is { Kind: DatasetKind.Topic, Name: "inventory.items" });
        Assert.Contains(inventory.Outputs, d => d is { Kind: DatasetKind.Table, System: "postgres", Name: "items" });
    }

    [Fact]
    public void Scan_NodeExpress_IsNpmExpressWithKafkaJsAndPg()
    {
        using var repo = TempRepo.Copy("node-express");

        var service = Assert.Single(repo.Scan().Plan.Archetypes);

        Assert.Equal("notifications", service.Name); // @acme/notifications without its scope
        Assert.Equal((Language.Javascript, BuildSystem.Npm, "package.json", Framework.Express), (service.Language, service.BuildSystem, service.BuildFile, service.Framework));
        Assert.Equal("src/server.js", service.EntryFile);
        Assert.Equal(["kafka"], service.Messaging);
        Assert.Equal(["pg"], service.DataAccess);
        Assert.True(service.Observability.Runbook);
        Assert.Contains(service.Inputs, d => d is { Kind: DatasetKind.Topic, Name: "orders.created" });
        Assert.Contains(service.Outputs, d => d is { Kind: DatasetKind.Topic, Name: "notifications.sent" });
        Assert.Contains(service.Outputs, d => d is { Kind: DatasetKind.Table, Name: "notifications" });
    }

    [Fact]
    public void Scan_DotnetAspNet_IsAspNetCoreWithConfluentKafkaAndNpgsql_TestProjectIsNoService()
    {
        using var repo = TempRepo.Copy("dotnet-aspnet");

        var billing = Assert.Single(repo.Scan().Plan.Archetypes);

        Assert.Equal("billing", billing.Name); // AssemblyName
        Assert.Equal("src/Billing.Api", billing.Path);
        Assert.Equal((Language.Csharp, BuildSystem.Dotnet, "src/Billing.Api/Billing.Api.csproj", Framework.AspnetCore), (billing.Language, billing.BuildSystem, billing.BuildFile, billing.Framework));
        Assert.Equal("src/Billing.Api/Program.cs", billing.EntryFile);
        Assert.Equal(["kafka"], billing.Messaging);
        Assert.Equal(["npgsql"], billing.DataAccess);
        Assert.True(billing.Observability.OtelSdk);
        Assert.True(billing.Observability.OtelInitialised);
        Assert.False(billing.Observability.Propagation); // HttpClient and Kafka are not instrumented
        var topic = Assert.Single(billing.Outputs, d => d.Kind == DatasetKind.Topic);
        Assert.True(topic.HasContract); // contracts/billing-invoices.yaml
        var table = Assert.Single(billing.Outputs, d => d.Kind == DatasetKind.Table);
        Assert.False(table.HasContract); // a Kafka contract named billing.invoices does not cover table invoices
    }

    [Fact]
    public void Scan_Monorepo_FindsEachServiceAndSkipsTheLibraryAndAggregator()
    {
        using var repo = TempRepo.Copy("monorepo");

        var result = repo.Scan();
        var plan = result.Plan;

        Assert.Equal(["services/orders", "services/payments", "services/web", "services/worker"], plan.Archetypes.Select(a => a.Path));
        Assert.Equal(2, result.Stats.LibrariesSkipped); // shop-parent (packaging pom) and libs/common (a jar without main)
        var orders = PlanAssert.Service(plan, "shop-orders");
        Assert.Equal((Language.Java, Framework.SpringBoot), (orders.Language, orders.Framework));
        Assert.Equal(["jdbc", "jpa"], orders.DataAccess);
        Assert.True(orders.Observability.HealthEndpoint); // spring-boot-starter-actuator
        Assert.Contains(orders.Outputs, d => d is { Kind: DatasetKind.Table, Name: "shop_orders" });

        var payments = PlanAssert.Service(plan, "payments");
        Assert.Equal((Language.Go, Framework.NetHttp, "services/payments/cmd/payments/main.go"), (payments.Language, payments.Framework, payments.EntryFile));
        Assert.Equal(["database_sql"], payments.DataAccess);
        // charts/payments/values.yaml: OpenTelemetry Operator injection and OTEL_SERVICE_NAME, attributed by the chart's name.
        Assert.True(payments.Observability.OtelSdk && payments.Observability.OtelInitialised && payments.Observability.ServiceNameConfigured);
        Assert.True(payments.Observability.Runbook); // runbooks/payments.md

        var web = PlanAssert.Service(plan, "shop-web");
        Assert.Equal((Language.Typescript, Framework.Nestjs, "services/web/src/main.ts"), (web.Language, web.Framework, web.EntryFile));

        var worker = PlanAssert.Service(plan, "worker");
        Assert.Equal((Language.Python, BuildSystem.Pip, (Framework?)null), (worker.Language, worker.BuildSystem, worker.Framework));
        Assert.Equal("services/worker/worker.py", worker.EntryFile);
        Assert.Contains(worker.Inputs, d => d is { Kind: DatasetKind.Topic, Name: "shop.orders" });
    }
}
