using Autopilot.Agents.Scout;
using Autopilot.Agents.Tests.Scout.TestSupport;

namespace Autopilot.Agents.Tests.Scout;

/// <summary>The plan as a file: it validates against the published schema, reads back, and is the same for the same tree.</summary>
public sealed class PlanOutputTests
{
    public static TheoryData<string> Fixtures() => new(Fixture.All);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Scan_EverySample_PlanValidatesAgainstTheSchemaAndRoundTrips(string fixture)
    {
        using var repo = TempRepo.Copy(fixture);

        var json = DiffPlanJson.Serialize(repo.Scan().Plan);

        Assert.Empty(PlanSchema.Validate(json));
        Assert.Equal(json, DiffPlanJson.Serialize(DiffPlanJson.Deserialize(json)));
    }

    [Fact]
    public void Scan_SameTree_ByteIdenticalPlansWhateverTheParallelism()
    {
        using var repo = TempRepo.Copy("monorepo");

        var one = DiffPlanJson.Serialize(repo.Scan(parallelism: 1).Plan);
        var four = DiffPlanJson.Serialize(repo.Scan(parallelism: 4).Plan);
        var again = DiffPlanJson.Serialize(repo.Scan(parallelism: 4).Plan);

        Assert.Equal(one, four);
        Assert.Equal(four, again);
    }

    [Fact]
    public void Scan_Output_IsSorted()
    {
        using var repo = TempRepo.Copy("monorepo");

        var plan = repo.Scan().Plan;

        Assert.Equal(plan.Archetypes.Select(a => a.Path).Order(StringComparer.Ordinal), plan.Archetypes.Select(a => a.Path));
        var keys = plan.Gaps.Select(g => (g.ServicePath, (int)g.Type, g.Id)).ToList();
        Assert.Equal(keys.OrderBy(k => k.ServicePath, StringComparer.Ordinal).ThenBy(k => k.Item2).ThenBy(k => k.Id, StringComparer.Ordinal), keys);
        Assert.All(plan.Archetypes, a =>
        {
            Assert.Equal(a.Messaging.Order(StringComparer.Ordinal), a.Messaging);
            Assert.Equal(a.DataAccess.Order(StringComparer.Ordinal), a.DataAccess);
        });
        // Planned changes follow their gaps.
        Assert.Equal(plan.Gaps.Select(g => g.Id), plan.PlannedChanges.Select(c => c.GapId).Distinct());
    }

    [Fact]
    public void Scan_GitWorkTree_HeadIsTheCommitCheckedOut()
    {
        using var repo = TempRepo.Copy("go-gin", git: true);
        var head = repo.Git("rev-parse", "HEAD");

        var plan = repo.Scan(readGitHead: true).Plan;

        Assert.Equal(head, plan.Repo.Head);
        Assert.Equal(repo.Path, plan.Repo.Path);
        Assert.Equal("repo", plan.Repo.Name);
        Assert.Equal(FixedClock.Now, plan.Repo.GeneratedAt);
    }

    [Fact]
    public void Scan_NotAGitWorkTree_HeadIsNull()
    {
        using var repo = TempRepo.Copy("go-gin");

        Assert.Null(repo.Scan(readGitHead: true).Plan.Repo.Head);
    }
}
