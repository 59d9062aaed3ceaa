using System.Text.Json;
using System.Xml.Linq;
using Autopilot.Engines.Contracts;
using YamlDotNet.RepresentationModel;

namespace Autopilot.Agents.Tests.Author;

/// <summary>
/// PR Author on a sample repository of each language: real git, one commit per gap, idempotent second run, and the
/// generated code checked by the toolchains present here (what each check covers is said per test; README, "PR Author").
/// </summary>
public sealed class AuthorSampleTests
{
    private static readonly string JavaParse = Path.Combine(SampleRepo.Fixtures, "Tools", "JavaParse.java");

    [Fact]
    public async Task JavaMaven_Plan_CommitsPerGapAndEveryJavaFileParses()
    {
        using var repo = await SampleRepo.CreateAsync("java-maven");
        await AuthorRun.RunTwiceAsync(repo, AuthorRun.Plan("java-maven"));

        // pom.xml: well-formed, each dependency once although two gaps edited it, the developer's lines kept.
        var pomText = await File.ReadAllTextAsync(Path.Combine(repo.Path, "orders/pom.xml"));
        var pom = XDocument.Parse(pomText);
        XNamespace m = "http://maven.apache.org/POM/4.0.0";
        var artifacts = pom.Root!.Element(m + "dependencies")!.Elements(m + "dependency").Select(d => (string)d.Element(m + "artifactId")!).ToList();
        foreach (var a in new[] { "opentelemetry-api", "opentelemetry-sdk", "opentelemetry-exporter-otlp", "opentelemetry-sdk-testing", "opentelemetry-kafka-clients-2.6", "opentelemetry-spring-webmvc-6.0", "spring-kafka" })
        {
            Assert.Equal(1, artifacts.Count(x => x == a));
        }

        Assert.Contains("<!-- web API -->", pomText, StringComparison.Ordinal);
        Assert.DoesNotContain("junit-jupiter", pomText, StringComparison.Ordinal); // Spring Boot's starter-test brings it

        var config = await File.ReadAllTextAsync(Path.Combine(repo.Path, "orders/src/main/java/com/acme/orders/telemetry/OpenTelemetryConfig.java"));
        Assert.Contains("package com.acme.orders.telemetry;", config, StringComparison.Ordinal);
        Assert.Contains("@Configuration", config, StringComparison.Ordinal);
        var properties = await File.ReadAllTextAsync(Path.Combine(repo.Path, "orders/src/main/resources/application.properties"));
        Assert.StartsWith("spring.application.name=orders", properties, StringComparison.Ordinal);
        Assert.Equal(1, AuthorRun.Count(properties, "TracingProducerInterceptor"));

        // javac's own parser over every Java file of the branch (generated and original). Full compilation needs the
        // OpenTelemetry and Spring jars, which cannot be fetched here (no Maven repository is reachable).
        var javaFiles = Directory.EnumerateFiles(repo.Path, "*.java", SearchOption.AllDirectories).ToList();
        Assert.Equal(5, javaFiles.Count);
        var (code, output) = await ProcessRun.RunAsync("java", repo.Path, [JavaParse, .. javaFiles]);
        Assert.True(code == 0, output);

        AssertCommonFiles(repo, "orders/openlineage.yaml", "contracts/orders-created.yaml", "urn:autopilot:topic:kafka:orders.created", "orders.created");
        Assert.True(File.Exists(Path.Combine(repo.Path, "orders/RUNBOOK.md")));
    }

    [Fact]
    public async Task JavaParse_BrokenSource_Fails()
    {
        var dir = Directory.CreateTempSubdirectory("javaparse-");
        try
        {
            var file = Path.Combine(dir.FullName, "Broken.java");
            await File.WriteAllTextAsync(file, "package a; class Broken { void f() { int x = ; } }");

            var (code, output) = await ProcessRun.RunAsync("java", dir.FullName, [JavaParse, file]);

            Assert.Equal(1, code);
            Assert.Contains("Broken.java", output, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [GoFact]
    public async Task Go_Plan_CommitsPerGapGoModValidAndSourcesGofmtClean()
    {
        using var repo = await SampleRepo.CreateAsync("go");
        await AuthorRun.RunTwiceAsync(repo, AuthorRun.Plan("go"));

        // go.mod: parsed by the go tool itself (no network needed for `go mod edit`).
        var (code, json) = await ProcessRun.RunAsync("go", repo.Path, ["mod", "edit", "-json"]);
        Assert.True(code == 0, json);
        var required = JsonDocument.Parse(json).RootElement.GetProperty("Require").EnumerateArray().Select(r => r.GetProperty("Path").GetString()).ToList();
        Assert.Contains("go.opentelemetry.io/otel/sdk", required);
        Assert.Contains("go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", required);
        Assert.Equal(required.Count, required.Distinct().Count());

        var main = await File.ReadAllTextAsync(Path.Combine(repo.Path, "main.go"));
        Assert.Contains("func main() {\n\tdefer startTelemetry()()\n\tmux := http.NewServeMux()", main, StringComparison.Ordinal);

        // gofmt parses every file (exit 2 on a syntax error) and lists those not formatted as gofmt would: none.
        // Type checking needs the OpenTelemetry modules, which cannot be downloaded here.
        var goFiles = Directory.EnumerateFiles(repo.Path, "*.go").Select(Path.GetFileName).ToList();
        Assert.Equal(["main.go", "otel.go", "otel_http.go", "otel_test.go"], goFiles.Order());
        var (fmtCode, unformatted) = await ProcessRun.RunAsync("gofmt", repo.Path, ["-l", "-e", .. goFiles!]);
        Assert.True(fmtCode == 0 && unformatted.Trim().Length == 0, $"gofmt exit {fmtCode}: {unformatted}");

        var env = await File.ReadAllTextAsync(Path.Combine(repo.Path, "otel.env"));
        Assert.Contains("OTEL_SERVICE_NAME=inventory\n", env, StringComparison.Ordinal);
        Assert.Contains("service.namespace=warehouse", env, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Python_Plan_CommitsPerGapAndEveryModuleCompiles()
    {
        using var repo = await SampleRepo.CreateAsync("python");
        var report = await AuthorRun.RunTwiceAsync(repo, AuthorRun.Plan("python"));

        var requirements = await File.ReadAllTextAsync(Path.Combine(repo.Path, "app/requirements.txt"));
        Assert.StartsWith("fastapi==0.115.0\n", requirements, StringComparison.Ordinal);
        foreach (var r in new[] { "opentelemetry-sdk==", "opentelemetry-instrumentation-fastapi==", "opentelemetry-instrumentation-requests==", "opentelemetry-instrumentation-kafka-python==" })
        {
            Assert.Equal(1, AuthorRun.Count(requirements, r));
        }

        // The import comes first (after the leading comment), the app is instrumented after its multi-line constructor.
        var main = (await File.ReadAllTextAsync(Path.Combine(repo.Path, "app/main.py"))).Split('\n');
        Assert.Equal("# Payments API.", main[0]);
        Assert.StartsWith("import otel_init", main[1], StringComparison.Ordinal);
        var appEnd = Array.IndexOf(main, ")");
        Assert.Equal("otel_init.instrument_app(app)", main[appEnd + 1]);

        // CPython compiles every module of the branch. Running the generated smoke test needs the opentelemetry
        // packages from PyPI, which is not reachable here.
        var pyFiles = Directory.EnumerateFiles(Path.Combine(repo.Path, "app"), "*.py").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["main.py", "otel_init.py", "otel_propagation.py", "test_telemetry_starts.py"], pyFiles);
        var (code, output) = await ProcessRun.RunAsync("python3", Path.Combine(repo.Path, "app"), ["-m", "py_compile", .. pyFiles!]);
        Assert.True(code == 0, output);

        AssertCommonFiles(repo, "app/openlineage.yaml", "contracts/payments-settled.yaml", "urn:autopilot:dataset:kafka:payments.settled", "payments.settled");
        Assert.Contains("import otel_init", report.Gaps[0].Changes[0].Guidance + (await File.ReadAllTextAsync(report.PrBodyPath!)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_Plan_CommitsPerGapAndEveryScriptPasses_NodeCheck()
    {
        using var repo = await SampleRepo.CreateAsync("node");
        await AuthorRun.RunTwiceAsync(repo, AuthorRun.Plan("node"));

        using var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(repo.Path, "package.json")));
        var deps = package.RootElement.GetProperty("dependencies").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(deps.Order(StringComparer.Ordinal), deps); // npm keeps them sorted; so does the edit
        Assert.Contains("express", deps);
        Assert.Contains("@opentelemetry/sdk-node", deps);
        Assert.Contains("@opentelemetry/instrumentation-kafkajs", deps);
        Assert.Equal("node src/server.js", package.RootElement.GetProperty("scripts").GetProperty("start").GetString());

        var server = (await File.ReadAllTextAsync(Path.Combine(repo.Path, "src/server.js"))).Split('\n');
        Assert.Equal("#!/usr/bin/env node", server[0]);
        Assert.Equal("'use strict';", server[1]);
        Assert.StartsWith("require('./tracing');", server[2], StringComparison.Ordinal);

        // node parses every script of the branch. Running tracing.test.js needs the @opentelemetry packages installed.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repo.Path, "src"), "*.js"))
        {
            var (code, output) = await ProcessRun.RunAsync("node", repo.Path, ["--check", file]);
            Assert.True(code == 0, $"{file}: {output}");
        }

        Assert.Equal(4, Directory.EnumerateFiles(Path.Combine(repo.Path, "src"), "*.js").Count());
        Assert.True(File.Exists(Path.Combine(repo.Path, "RUNBOOK.md")));
    }

    [Fact]
    public async Task Dotnet_Plan_CommitsPerGapAndGeneratedSmokeTestPasses()
    {
        using var repo = await SampleRepo.CreateAsync("dotnet");
        await AuthorRun.RunTwiceAsync(repo, AuthorRun.Plan("dotnet"));

        var program = await File.ReadAllTextAsync(Path.Combine(repo.Path, "src/Catalog.Api/Program.cs"));
        Assert.StartsWith("var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddServiceTelemetry();\nvar app = builder.Build();", program, StringComparison.Ordinal);
        var project = XDocument.Parse(await File.ReadAllTextAsync(Path.Combine(repo.Path, "src/Catalog.Api/Catalog.Api.csproj")));
        Assert.Equal(
            ["OpenTelemetry.Exporter.OpenTelemetryProtocol", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry.Instrumentation.AspNetCore", "OpenTelemetry.Instrumentation.Http"],
            project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!).Order());

        // The real proof: the generated xunit project builds against the edited service (OpenTelemetry 1.20.1 restores
        // here) and its test starts the host with AddServiceTelemetry and sees a span exported with the service name.
        var (code, output) = await ProcessRun.RunAsync(
            "dotnet", repo.Path, ["test", "tests/Catalog.Api.TelemetryTests/Catalog.Api.TelemetryTests.csproj", "-nologo", "-v", "quiet"], TimeSpan.FromMinutes(8));
        Assert.True(code == 0, output);
        Assert.Contains("Passed!", output, StringComparison.Ordinal);
        Assert.Contains("Passed:     1", output, StringComparison.Ordinal);
    }

    /// <summary>The OpenLineage spec parses as YAML and names the output; the contract loads in Autopilot's contract engine without errors.</summary>
    private static void AssertCommonFiles(SampleRepo repo, string lineage, string contract, string urn, string output)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(repo.Path, lineage))));
        var outputs = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children[new YamlScalarNode("outputs")];
        Assert.Equal(output, ((YamlScalarNode)((YamlMappingNode)outputs.Children[0]).Children[new YamlScalarNode("name")]).Value);

        var contracts = ContractSet.Load(Path.GetDirectoryName(Path.Combine(repo.Path, contract))!);
        Assert.Empty(contracts.Errors);
        Assert.NotNull(contracts.Find(urn));
    }
}
