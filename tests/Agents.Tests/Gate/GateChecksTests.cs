using Autopilot.Agents.Gate;
using Autopilot.Agents.Tests.Gate.TestSupport;
using Autopilot.Agents.Tests.Validate;
using Autopilot.Agents.Validate;
using static Autopilot.Agents.Tests.Gate.GateRunnerTests;

namespace Autopilot.Agents.Tests.Gate;

/// <summary>Each service check and the contract checks on real repositories; validator reports as files.</summary>
public sealed class GateChecksTests
{
    private const string AllServiceChecks = "otel-sdk: hard-fail\n      runbook: hard-fail\n      lineage-spec: hard-fail\n      data-contract: hard-fail\n      contract-breaking: hard-fail";

    public static TheoryData<string, string, string, CheckResult, string> OtelCases => new()
    {
        { "node, initialised", "package.json", "{\"dependencies\":{\"@opentelemetry/sdk-node\":\"0.52.0\"}}\n", CheckResult.Pass, "index.js:1" },
        { ".NET web, AddOpenTelemetry", "Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><PackageReference Include=\"OpenTelemetry.Extensions.Hosting\" /></ItemGroup></Project>", CheckResult.Pass, "Program.cs:2" },
        { "go, no initialisation", "go.mod", "module orders\nrequire go.opentelemetry.io/otel v1.28.0\n", CheckResult.Fail, "otel_not_initialised" },
        { "python, no dependency", "requirements.txt", "flask==3.0\n", CheckResult.Fail, "missing_otel" },
        { "java agent in Dockerfile", "pom.xml", "<project><artifactId>orders</artifactId></project>", CheckResult.Pass, "opentelemetry-javaagent" },
    };

    [Theory]
    [MemberData(nameof(OtelCases))]
    public async Task OtelSdk_DependencyAndInitialisation_AreBothNeeded(string name, string manifest, string manifestText, CheckResult expected, string evidence)
    {
        Assert.NotEmpty(name);
        using var repo = new GitRepoFixture();
        repo.Write("svc/orders/" + manifest, manifestText)
            .Write("svc/orders/index.js", "const sdk = new NodeSDK({ serviceName: 'orders' });\nsdk.start();\n")
            .Write("svc/orders/Program.cs", "var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddOpenTelemetry().WithTracing(t => t.AddOtlpExporter());\n")
            .Write("svc/orders/main.go", "package main\nfunc main() { tracer := otel.Tracer(\"orders\") }\n")
            .Write("svc/orders/Dockerfile", manifest == "pom.xml" ? "FROM eclipse-temurin:21\nENTRYPOINT [\"java\", \"-javaagent:/otel/opentelemetry-javaagent.jar\", \"-jar\", \"app.jar\"]\n" : "FROM scratch\n")
            .Write("gates.yaml", Policy("otel-sdk: hard-fail"))
            .Commit("base");

        var status = await Run(repo);

        var check = Check(status, GateChecks.OtelSdk);
        Assert.True(check.Result == expected, check.Message);
        Assert.Contains(evidence, check.Message + string.Join(" ", check.Findings.Select(f => f.Rule + " " + f.Message)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detect_LibrariesTestsAndWorkspaceRoots_AreNotServices()
    {
        using var repo = new GitRepoFixture();
        repo.Write("package.json", "{ \"name\": \"mono\", \"workspaces\": [\"services/*\"] }")
            .HealthyNodeService("services/orders")
            .Write("src/Lib/Lib.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"></Project>")
            .Write("src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"></Project>")
            .Write("src/Api.Tests/Api.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup><ItemGroup><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>")
            .Write("examples/demo/package.json", "{}")
            .Write("gates.yaml", Policy("runbook: warn"))
            .Commit("base");

        var status = await Run(repo);

        Assert.Equal(["Api", "orders"], status.Targets.Where(t => t.Service).Select(t => t.Name).Order().ToArray());
    }

    [Fact]
    public async Task Services_DeclaredInThePolicy_ReplaceDetection()
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService("apps/web")
            .Write("gates.yaml", Policy("runbook: hard-fail", "services:\n  - { name: storefront, path: apps/web }\n"))
            .Commit("base");

        var status = await Run(repo);

        var target = Assert.Single(status.Targets, t => t.Service);
        Assert.Equal(("storefront", "apps/web", CheckOutcome.Passed), (target.Name, target.Path, target.Checks.Single().Outcome));
    }

    [Fact]
    public async Task Services_DeclaredFolderThatDoesNotExist_IsAUsageError()
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService().Write("gates.yaml", Policy("runbook: hard-fail", "services:\n  - { name: billing, path: services/billing }\n")).Commit("base");

        var e = await Assert.ThrowsAsync<GateUsageException>(() => Run(repo));

        Assert.Equal("policy service 'billing': folder services/billing has no files in the working tree", e.Message);
    }

    [Theory]
    [InlineData(null, CheckResult.Fail, "missing_lineage_spec")]
    [InlineData("transport:\n  type: http\n", CheckResult.Pass, "services/orders/openlineage.yml")]
    [InlineData("transport: [\n", CheckResult.Fail, "invalid_lineage_spec")]
    [InlineData("hello: world\n", CheckResult.Fail, "has none of")]
    public async Task LineageSpec_MustExistAndDeclareSomething(string? spec, CheckResult expected, string evidence)
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService().Delete("services/orders/openlineage.yml").Write("gates.yaml", Policy("lineage-spec: hard-fail"));
        if (spec is not null)
        {
            repo.Write("services/orders/openlineage.yml", spec);
        }

        repo.Commit("base");
        var check = Check(await Run(repo), GateChecks.LineageSpec);

        Assert.Equal(expected, check.Result);
        Assert.Contains(evidence, check.Message + string.Join(" ", check.Findings.Select(f => f.Rule + " " + f.Message)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("services/orders/RUNBOOK.md", "# Orders\n", CheckResult.Pass)]
    [InlineData("docs/runbooks/orders.md", "# Orders\n- restart\n", CheckResult.Pass)]
    [InlineData("services/orders/RUNBOOK.md", "\n", CheckResult.Fail)]
    [InlineData("services/orders/NOTES.md", "# Notes\n", CheckResult.Fail)]
    public async Task Runbook_FoundInTheServiceOrTheRunbooksFolder(string file, string text, CheckResult expected)
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService().Delete("services/orders/RUNBOOK.md").Write(file, text).Write("gates.yaml", Policy("runbook: hard-fail")).Commit("base");

        Assert.Equal(expected, Check(await Run(repo), GateChecks.Runbook).Result);
    }

    [Fact]
    public async Task DataContract_TopicWithoutContract_FailsAtTheWriteAndTableMatchesByName()
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService()
            .Write("services/orders/src/audit.js", "// audit trail\nawait producer.send({ topic: 'orders.audit', messages });\nawait db.query('INSERT INTO public.payments (id) VALUES ($1)', [id]);\n")
            .Write("contracts/payments.yaml", "dataset: { namespace: pg, name: public.payments }\nschema:\n  - { name: id, type: string, required: true }\n")
            .Write("gates.yaml", Policy("data-contract: hard-fail"))
            .Commit("base");

        var check = Check(await Run(repo), GateChecks.DataContract);

        Assert.Equal(CheckResult.Fail, check.Result);
        var f = Assert.Single(check.Findings);
        Assert.Equal(("services/orders/src/audit.js", 2, "missing_contract"), (f.File, f.Line, f.Rule));
        Assert.Contains("orders.audit", f.Message, StringComparison.Ordinal);
        Assert.Contains("of 3 written", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DataContract_NoWrites_IsSkipped()
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService().Write("services/orders/src/index.js", "const sdk = new NodeSDK({});\n").Write("gates.yaml", Policy("data-contract: hard-fail")).Commit("base");

        Assert.Equal(CheckResult.Skip, Check(await Run(repo), GateChecks.DataContract).Result);
    }

    public static TheoryData<string, string, string> ContractChanges => new()
    {
        { "required field removed", "  - { name: amount, type: integer, required: true }\n", "REQUIRED_FIELD_REMOVED" },
        { "type changed", "{ name: amount, type: integer, required: true }|{ name: amount, type: string, required: true }", "FIELD_TYPE_CHANGED" },
        { "required made optional", "{ name: amount, type: integer, required: true }|{ name: amount, type: integer }", "FIELD_NO_LONGER_REQUIRED" },
        { "freshness tightened", "freshness: 1h|freshness: 15m", "FRESHNESS_TIGHTENED" },
        { "volume raised", "min: 100, per: 1h|min: 5000, per: 1d", "VOLUME_MIN_RAISED" },
        { "objective raised", "objective: 0.99|objective: 0.999", "OBJECTIVE_RAISED" },
        { "quality rule added", "  - rowCount > 0\n|  - rowCount > 0\n  - nullCount(id) == 0\n", "QUALITY_RULE_ADDED" },
        { "dataset renamed", "orders.created|orders.placed", "DATASET_CHANGED" },
    };

    [Theory]
    [MemberData(nameof(ContractChanges))]
    public async Task ContractBreaking_EachRule(string name, string change, string rule)
    {
        Assert.NotEmpty(name);
        using var repo = new GitRepoFixture();
        repo.Write("contracts/orders.yaml", Repos.OrdersContract).Write("gates.yaml", Policy("contract-breaking: hard-fail")).Commit("base");
        var parts = change.Split('|');
        repo.Write("contracts/orders.yaml", Repos.OrdersContract.Replace(parts[0], parts.Length > 1 ? parts[1] : string.Empty, StringComparison.Ordinal));

        var check = Check(await Run(repo), GateChecks.ContractBreaking);

        Assert.Equal(CheckOutcome.Failed, check.Outcome);
        Assert.Equal([rule], check.Findings.Select(f => f.Rule).ToArray());
        Assert.All(check.Findings, f => Assert.Equal("contracts/orders.yaml", f.File));
    }

    [Fact]
    public async Task ContractBreaking_LoosenedSlaAndNewOptionalField_PassAndDeletedContractFails()
    {
        using var repo = new GitRepoFixture();
        repo.Write("contracts/orders.yaml", Repos.OrdersContract).Write("contracts/old.yaml", "urn: urn:autopilot:topic:kafka:old\n").Write("gates.yaml", Policy("contract-breaking: hard-fail")).Commit("base");
        repo.Write("contracts/orders.yaml", Repos.OrdersContract.Replace("freshness: 1h", "freshness: 2h", StringComparison.Ordinal) + "  # comment\n");

        Assert.Equal(CheckOutcome.Passed, Check(await Run(repo), GateChecks.ContractBreaking).Outcome);

        repo.Delete("contracts/old.yaml");
        var deleted = Check(await Run(repo), GateChecks.ContractBreaking);
        Assert.Equal(("CONTRACT_REMOVED", "contracts/old.yaml"), (deleted.Findings.Single().Rule, deleted.Findings.Single().File));
    }

    [Theory]
    [InlineData(Verdict.Pass, true, false, false, CheckOutcome.Passed, null)]
    [InlineData(Verdict.Fail, true, false, false, CheckOutcome.Failed, "validation:span")]
    [InlineData(Verdict.Pass, false, false, false, CheckOutcome.Failed, "stale_validation_report")]
    [InlineData(Verdict.Pass, false, true, false, CheckOutcome.Passed, null)]
    [InlineData(null, false, false, true, CheckOutcome.Failed, "missing_validation_report")]
    [InlineData(null, false, false, false, CheckOutcome.Skipped, null)]
    public async Task TelemetryValidation_ConsumesTheValidatorReport(Verdict? verdict, bool sameCommit, bool allowStale, bool required, CheckOutcome outcome, string? rule)
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService()
            .Write("gates.yaml", Policy($"telemetry-validation: {{ mode: hard-fail, require_report: {required.ToString().ToLowerInvariant()}, allow_stale_commit: {allowStale.ToString().ToLowerInvariant()} }}"));
        var head = repo.Commit("base");
        var reports = new List<string>();
        if (verdict is { } v)
        {
            var file = repo.File("../" + Path.GetFileName(repo.Path) + "-report.json");
            await File.WriteAllTextAsync(file, ValidationReportJson.Serialize(ValidationReportSchemaTests.Sample(v, sameCommit ? head : new string('a', 40))));
            reports.Add(file);
        }

        try
        {
            var check = Check(await Run(repo, reports.ToArray()), GateChecks.TelemetryValidation);

            Assert.Equal(outcome, check.Outcome);
            if (rule is not null)
            {
                Assert.Contains(check.Findings, f => f.Rule == rule);
            }
        }
        finally
        {
            reports.ForEach(File.Delete);
        }
    }

    [Fact]
    public async Task TelemetryValidation_ReportForAnotherService_DoesNotCount()
    {
        using var repo = new GitRepoFixture();
        repo.HealthyNodeService().Write("gates.yaml", Policy("telemetry-validation: { mode: hard-fail, require_report: true }"));
        var head = repo.Commit("base");
        var file = Path.Combine(Path.GetTempPath(), $"report-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, ValidationReportJson.Serialize(ValidationReportSchemaTests.Sample(Verdict.Pass, head) with { Service = "payments" }));
        try
        {
            var check = Check(await Run(repo, file), GateChecks.TelemetryValidation);

            Assert.Equal(CheckOutcome.Failed, check.Outcome);
            Assert.Contains("reports given: payments", check.Findings.Single().Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static Task<GateStatus> Run(GitRepoFixture repo, params string[] reports) =>
        GateRunner.RunAsync(new GateOptions { RepoPath = repo.Path, BaseRef = "main", PolicyPath = repo.File("gates.yaml"), Now = new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), ValidationReports = reports }, CancellationToken.None);
}
