using Autopilot.Agents.Scout;
using Autopilot.Agents.Scout.Manifests;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>Build-file parsers on the forms real projects use.</summary>
public sealed class ManifestParserTests
{
    private static string[] Runtime(BuildManifest m) => m.Dependencies.Where(d => d.Scope == DependencyScope.Runtime).Select(d => d.Id).ToArray();

    [Fact]
    public void PyProject_ExtrasInsideTheArray_DoNotEndIt()
    {
        var m = PythonManifestParser.ParsePyProject("svc/pyproject.toml", """
            [project]
            name = "svc"
            dependencies = [
                "uvicorn[standard]>=0.30",
                "SQLAlchemy>=2.0",
                "opentelemetry-distro[otlp]==0.47b0",
            ]

            [project.optional-dependencies]
            test = ["pytest>=8"]
            """, poetryLockBeside: false);

        Assert.Equal("svc", m.Name);
        Assert.Equal(BuildSystem.Pyproject, m.BuildSystem);
        Assert.Equal(["uvicorn", "sqlalchemy", "opentelemetry-distro"], Runtime(m));
        Assert.Equal(5, m.Dependencies.Single(d => d.Id == "sqlalchemy").Line);
        Assert.Equal(DependencyScope.Test, m.Dependencies.Single(d => d.Id == "pytest").Scope);
    }

    [Fact]
    public void PyProject_Poetry_TablesAndGroups()
    {
        var m = PythonManifestParser.ParsePyProject("pyproject.toml", """
            [tool.poetry]
            name = "worker"

            [tool.poetry.dependencies]
            python = "^3.11"
            confluent-kafka = "^2.4"
            Flask_SQLAlchemy = { version = "^3.1" }

            [tool.poetry.group.dev.dependencies]
            pytest = "^8"
            """, poetryLockBeside: false);

        Assert.Equal(BuildSystem.Poetry, m.BuildSystem);
        Assert.Equal("worker", m.Name);
        Assert.Equal(["confluent-kafka", "flask-sqlalchemy"], Runtime(m));
        Assert.Equal(DependencyScope.Test, m.Dependencies.Single(d => d.Id == "pytest").Scope);
    }

    [Fact]
    public void Requirements_CommentsOptionsAndMarkers()
    {
        var m = PythonManifestParser.ParseRequirements("requirements.txt", "# web\n-r base.txt\nFlask==3.0.3 ; python_version >= '3.11'\n--index-url https://x\nkafka_python>=2\n");

        Assert.Equal(["flask", "kafka-python"], Runtime(m));
        Assert.Equal([3, 5], m.Dependencies.Select(d => d.Line));
        Assert.All(PythonManifestParser.ParseRequirements("requirements-dev.txt", "pytest\n").Dependencies, d => Assert.Equal(DependencyScope.Test, d.Scope));
    }

    [Fact]
    public void Gradle_GroovyAndKotlinForms_ScopesAndPlugins()
    {
        var m = GradleParser.Parse("build.gradle", """
            plugins {
                id 'org.springframework.boot' version '3.3.4'
                id("io.spring.dependency-management") version "1.1.6"
            }
            dependencies {
                implementation 'org.springframework.kafka:spring-kafka'
                implementation("org.postgresql:postgresql:42.7.3")
                runtimeOnly group: 'com.h2database', name: 'h2'
                implementation platform("org.springframework.boot:spring-boot-dependencies:3.3.4")
                testImplementation 'org.springframework.boot:spring-boot-starter-test'
                // implementation 'io.opentelemetry:opentelemetry-sdk'
            }
            """);

        Assert.True(m.IsExecutable);
        Assert.Equal(["plugin:org.springframework.boot", "plugin:io.spring.dependency-management", "org.springframework.kafka:spring-kafka", "org.postgresql:postgresql", "com.h2database:h2"], Runtime(m));
        Assert.Equal(DependencyScope.Test, m.Dependencies.Single(d => d.Id.EndsWith("starter-test", StringComparison.Ordinal)).Scope);
    }

    [Fact]
    public void GoMod_IndirectRequirementsAndVersionSuffix()
    {
        var m = GoModParser.Parse("go.mod", """
            module github.com/acme/payments/v2

            require github.com/gin-gonic/gin v1.10.0

            require (
            	github.com/segmentio/kafka-go v0.4.47
            	go.opentelemetry.io/otel/sdk v1.28.0 // indirect
            )
            """);

        Assert.Equal("payments", m.Name);
        Assert.Equal(["github.com/gin-gonic/gin", "github.com/segmentio/kafka-go"], Runtime(m));
    }

    [Fact]
    public void Csproj_WebTestAndLibraryProjects()
    {
        var web = CsprojParser.Parse("src/Api/Api.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup><PackageReference Include=\"Npgsql\" Version=\"8\" /></ItemGroup></Project>");
        var test = CsprojParser.Parse("tests/Api.Tests/Api.Tests.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><ItemGroup><PackageReference Include=\"xunit\" /><PackageReference Include=\"Microsoft.NET.Test.Sdk\" /></ItemGroup></Project>");
        var library = CsprojParser.Parse("src/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><AssemblyName>acme-core</AssemblyName></PropertyGroup></Project>");
        var worker = CsprojParser.Parse("src/W/W.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><OutputType>Exe</OutputType></PropertyGroup></Project>");
        var broken = CsprojParser.Parse("src/B/B.csproj", "<Project Sdk=\"Microsoft.NET.Sdk.Web\"><ItemGroup>");

        Assert.True(web.IsExecutable && !web.IsTestProject);
        Assert.Equal(["sdk:Microsoft.NET.Sdk.Web", "Npgsql"], Runtime(web));
        Assert.True(test.IsTestProject && !test.IsExecutable);
        Assert.True(library.IsLibrary);
        Assert.Equal("acme-core", library.Name);
        Assert.True(worker.IsExecutable);
        Assert.NotNull(broken.ParseError);
    }

    [Fact]
    public void PackageJson_NameScopeStartScriptAndFrontEnd()
    {
        var api = PackageJsonParser.Parse("api/package.json", """
            { "name": "@acme/api", "scripts": { "start": "node --require ./tracing.js dist/server.js" },
              "dependencies": { "fastify": "^4" }, "devDependencies": { "typescript": "^5" } }
            """);
        var ui = PackageJsonParser.Parse("ui/package.json", """{ "name": "ui", "scripts": { "start": "vite" }, "dependencies": { "react": "^18", "vite": "^5" } }""");

        Assert.Equal("api", api.Name);
        Assert.Equal("dist/server.js", api.MainFile);
        Assert.Equal(["fastify"], Runtime(api));
        Assert.Equal(DependencyScope.Dev, api.Dependencies.Single(d => d.Id == "typescript").Scope);
        Assert.Equal(2, api.Dependencies.Single(d => d.Id == "fastify").Line);
        Assert.True(ui.IsFrontend);
        Assert.False(api.IsFrontend);
    }

    [Fact]
    public void MavenPom_ScopesParentModulesAndPackaging()
    {
        var m = MavenPomParser.Parse("pom.xml", """
            <project xmlns="http://maven.apache.org/POM/4.0.0">
              <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId></parent>
              <artifactId>orders</artifactId>
              <packaging>pom</packaging>
              <dependencies>
                <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId></dependency>
                <dependency><groupId>junit</groupId><artifactId>junit</artifactId><scope>test</scope></dependency>
              </dependencies>
            </project>
            """);

        Assert.Equal("orders", m.Name);
        Assert.True(m.IsAggregator);
        Assert.Equal(["org.springframework.boot:spring-boot-starter-parent", "org.apache.kafka:kafka-clients"], Runtime(m));
        Assert.Equal(6, m.Dependencies.Single(d => d.Id == "org.apache.kafka:kafka-clients").Line);
    }
}
