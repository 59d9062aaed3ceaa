using Autopilot.Agents.Gate;
using Autopilot.Agents.Tests.Gate.TestSupport;
using Autopilot.Agents.Tests.Validate;
using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Tests.Gate;

/// <summary>Everything that stops the gate from judging is a <see cref="GateUsageException"/> (exit 2) naming the problem.</summary>
public sealed class GateUsageErrorTests
{
    [Fact]
    public async Task Run_ChangedSchemaThatDoesNotParse_NamesFileAndLine()
    {
        using var repo = new GitRepoFixture();
        repo.Write("schemas/order.avsc", Repos.OrderAvsc).Write("proto/a.proto", Repos.OrderProto).Commit("base");
        repo.Write("schemas/order.avsc", "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[\n{\"name\":\"id\"}\n]}").Write("proto/a.proto", Repos.OrderProto.Replace("string id = 1;", "string id = 1", StringComparison.Ordinal));

        var e = await Assert.ThrowsAsync<GateUsageException>(() => Run(repo));

        var lines = e.Message.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("schema: schemas/order.avsc:2: field 'Order.id' has no \"type\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("schema: proto/a.proto:5: expected ';'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_BrokenBaseVersion_IsNotAUsageErrorAndIsNoted()
    {
        using var repo = new GitRepoFixture();
        repo.Write("schemas/order.avsc", "{ not json").Commit("base");
        repo.Write("schemas/order.avsc", Repos.OrderAvsc);

        var status = await Run(repo);

        var check = status.Targets.SelectMany(t => t.Checks).Single(c => c.Check == GateChecks.SchemaCompat);
        Assert.Equal(CheckOutcome.Passed, check.Outcome);
        Assert.Contains("base version does not parse", check.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BrokenContract_NamesFileAndLine()
    {
        using var repo = new GitRepoFixture();
        repo.Write("contracts/orders.yaml", "urn: urn:autopilot:topic:kafka:orders\nschema:\n  - { type: string }\n").Commit("base");

        var e = await Assert.ThrowsAsync<GateUsageException>(() => Run(repo));

        Assert.Contains("contract: contracts/orders.yaml:3: each schema entry needs a name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownBase_NamesTheRevision()
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a").Commit("base");

        var e = await Assert.ThrowsAsync<GateUsageException>(() => Run(repo, baseRef: "origin/nope"));

        Assert.StartsWith("--base 'origin/nope' is not a commit", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NotAGitRepository_SaysSo()
    {
        var dir = Directory.CreateTempSubdirectory("gate-nogit-");
        try
        {
            var e = await Assert.ThrowsAsync<GateUsageException>(() => GateRunner.RunAsync(new GateOptions { RepoPath = dir.FullName }, CancellationToken.None));

            Assert.Contains("is not inside a git repository", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{ \"verdict\": ", "is not JSON")]
    [InlineData("{\"schemaVersion\":\"1\"}", "does not match schemas/validation-report.schema.json")]
    public async Task Run_BadValidationReport_NamesTheFileAndProblem(string text, string expected)
    {
        using var repo = new GitRepoFixture();
        repo.Write("a.txt", "a").Commit("base");
        var file = Path.Combine(Path.GetTempPath(), $"bad-report-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var e = await Assert.ThrowsAsync<GateUsageException>(() => Run(repo, reports: file));

            Assert.Contains(file, e.Message, StringComparison.Ordinal);
            Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_ReportWithWrongEnumValue_IsRejectedBySchemaBeforeDeserialising()
    {
        using var repo = new GitRepoFixture();
        var head = repo.Write("a.txt", "a").Commit("base");
        var file = Path.Combine(Path.GetTempPath(), $"enum-report-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, ValidationReportJson.Serialize(ValidationReportSchemaTests.Sample(Verdict.Pass, head)).Replace("\"PASS\"", "\"MAYBE\"", StringComparison.Ordinal));
        try
        {
            var e = await Assert.ThrowsAsync<GateUsageException>(() => Run(repo, reports: file));

            Assert.Contains("verdict", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Options_MissingFiles_AreListedTogether()
    {
        var e = await Assert.ThrowsAsync<GateUsageException>(() => GateRunner.RunAsync(new GateOptions { PolicyPath = "/nope/gates.yaml", ValidationReports = ["/nope/r.json"] }, CancellationToken.None));

        Assert.Equal(["--validation-report '/nope/r.json' does not exist", "--policy '/nope/gates.yaml' does not exist"], e.Message.Split('\n'));
    }

    private static Task<GateStatus> Run(GitRepoFixture repo, string baseRef = "main", params string[] reports) =>
        GateRunner.RunAsync(new GateOptions { RepoPath = repo.Path, BaseRef = baseRef, ValidationReports = reports }, CancellationToken.None);
}
