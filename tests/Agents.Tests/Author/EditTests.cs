using System.Text.RegularExpressions;
using Autopilot.Agents.Author.Edits;

namespace Autopilot.Agents.Tests.Author;

/// <summary>The file edits on their own: what they add, what they keep, and that applying one to its own output changes nothing.</summary>
public sealed class EditTests
{
    private const string Deps = "<dependencies><dependency><groupId>io.opentelemetry</groupId><artifactId>opentelemetry-api</artifactId><version>1.42.1</version></dependency></dependencies>";

    [Fact]
    public void Maven_PomWithoutDependencies_GetsASectionBeforeClosingProject()
    {
        const string pom = "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n</project>\n";

        var edited = MavenEdit.Apply(pom, Deps, "pom.xml")!;

        Assert.Equal(
            "<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  <dependencies>\n    <dependency>\n      <groupId>io.opentelemetry</groupId>\n      <artifactId>opentelemetry-api</artifactId>\n      <version>1.42.1</version>\n    </dependency>\n  </dependencies>\n</project>\n",
            edited);
        Assert.Null(MavenEdit.Apply(edited, Deps, "pom.xml"));
    }

    [Fact]
    public void Maven_DependencyManagementOnly_IsNotMistakenForTheProjectDependencies()
    {
        const string pom = "<project><dependencyManagement><dependencies><dependency><groupId>io.opentelemetry</groupId><artifactId>opentelemetry-api</artifactId></dependency></dependencies></dependencyManagement></project>";

        var edited = MavenEdit.Apply(pom, Deps, "pom.xml")!;

        Assert.Equal(2, AuthorRun.Count(edited, "<artifactId>opentelemetry-api</artifactId>"));
        Assert.Contains("</dependencyManagement>    <dependencies>", edited.Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Maven_MalformedPom_NamesTheLine()
    {
        var e = Assert.Throws<EditException>(() => MavenEdit.Apply("<project>\n<dependencies>\n</project>", Deps, "orders/pom.xml"));

        Assert.Contains("orders/pom.xml is not well-formed XML (line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Csproj_ExistingItemGroup_GetsMissingPackagesOnly()
    {
        const string project = "<Project Sdk=\"Microsoft.NET.Sdk\">\r\n  <ItemGroup>\r\n    <PackageReference Include=\"opentelemetry\" Version=\"1.0.0\" />\r\n  </ItemGroup>\r\n</Project>\r\n";
        const string fragment = "<ItemGroup><PackageReference Include=\"OpenTelemetry\" Version=\"1.20.1\" /><PackageReference Include=\"OpenTelemetry.Exporter.OpenTelemetryProtocol\" Version=\"1.20.1\" /></ItemGroup>";

        var edited = CsprojEdit.Apply(project, fragment, "a.csproj")!;

        Assert.Equal(
            "<Project Sdk=\"Microsoft.NET.Sdk\">\r\n  <ItemGroup>\r\n    <PackageReference Include=\"opentelemetry\" Version=\"1.0.0\" />\r\n    <PackageReference Include=\"OpenTelemetry.Exporter.OpenTelemetryProtocol\" Version=\"1.20.1\" />\r\n  </ItemGroup>\r\n</Project>\r\n",
            edited);
        Assert.Null(CsprojEdit.Apply(edited, fragment, "a.csproj"));
    }

    [Fact]
    public void GoMod_RequireBlock_GetsMissingModulesAndKeepsIndirectOnes()
    {
        const string goMod = "module a\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgo.opentelemetry.io/otel v1.20.0 // indirect\n)\n";

        var edited = GoModEdit.Apply(goMod, "go.opentelemetry.io/otel v1.30.0\ngo.opentelemetry.io/otel/sdk v1.30.0\n", "go.mod")!;

        Assert.Equal("module a\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgo.opentelemetry.io/otel v1.20.0 // indirect\n\tgo.opentelemetry.io/otel/sdk v1.30.0\n)\n", edited);
        Assert.Null(GoModEdit.Apply(edited, "go.opentelemetry.io/otel/sdk v1.30.0", "go.mod"));
    }

    [Fact]
    public void Requirements_NamesAreComparedNormalised()
    {
        const string existing = "# deps\nOpenTelemetry_SDK>=1.0\n-r base.txt\nflask";

        var edited = RequirementsEdit.Apply(existing, "opentelemetry-sdk==1.27.0\nopentelemetry-api==1.27.0\n", "requirements.txt");

        Assert.Equal("# deps\nOpenTelemetry_SDK>=1.0\n-r base.txt\nflask\nopentelemetry-api==1.27.0\n", edited);
        Assert.Null(RequirementsEdit.Apply(edited, "opentelemetry-api==1.27.0", "requirements.txt"));
        Assert.Throws<EditException>(() => RequirementsEdit.Apply("[project]", "opentelemetry-api", "pyproject.toml"));
    }

    [Fact]
    public void PackageJson_SortedDependencies_StaySortedAndOtherKeysKeepTheirOrder()
    {
        const string json = "{\n    \"name\": \"x\",\n    \"dependencies\": {\n        \"express\": \"^4\",\n        \"kafkajs\": \"^2\"\n    },\n    \"version\": \"1.0.0\"\n}\n";

        var edited = PackageJsonEdit.Apply(json, "{\"dependencies\":{\"@opentelemetry/api\":\"^1.9.0\",\"express\":\"^5\"}}", "package.json")!;

        Assert.Equal("{\n    \"name\": \"x\",\n    \"dependencies\": {\n        \"@opentelemetry/api\": \"^1.9.0\",\n        \"express\": \"^4\",\n        \"kafkajs\": \"^2\"\n    },\n    \"version\": \"1.0.0\"\n}\n", edited);
        Assert.Null(PackageJsonEdit.Apply(edited, "{\"dependencies\":{\"@opentelemetry/api\":\"^1.9.0\"}}", "package.json"));
    }

    [Fact]
    public void Insert_AfterMultiLineStatement_IndentedLikeIt()
    {
        const string text = "def make():\n    app = create(\n        name=\"x\",\n    )\n    return app\n";

        var result = InsertEdit.Apply(text, new Regex(@"^\s*(\w+) = create\("), "instrument(", m => $"instrument({m!.Groups[1].Value})");

        Assert.Equal(InsertStatus.Inserted, result.Status);
        Assert.Equal("def make():\n    app = create(\n        name=\"x\",\n    )\n    instrument(app)\n    return app\n", result.Text);
        Assert.Equal(InsertStatus.Unchanged, InsertEdit.Apply(result.Text!, new Regex("create"), "instrument(", _ => "x").Status);
        Assert.Equal(InsertStatus.AnchorMissing, InsertEdit.Apply(text, new Regex("nowhere"), "instrument(", _ => "x").Status);
    }

    [Fact]
    public void Insert_AfterBlockOpener_IndentsOneStepDeeperWithTheFilesUnit()
    {
        const string text = "func main() {\n\tserve()\n}\n";

        var result = InsertEdit.Apply(text, new Regex(@"^func main\(\) \{"), "start()", _ => "defer start()()");

        Assert.Equal("func main() {\n\tdefer start()()\n\tserve()\n}\n", result.Text);
    }
}
