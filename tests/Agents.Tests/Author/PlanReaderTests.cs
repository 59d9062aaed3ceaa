using Autopilot.Agents.Author;

namespace Autopilot.Agents.Tests.Author;

public sealed class PlanReaderTests
{
    [Theory]
    [InlineData("java-maven")]
    [InlineData("go")]
    [InlineData("python")]
    [InlineData("node")]
    [InlineData("dotnet")]
    public void Read_SamplePlans_AreValidAgainstThePublishedSchema(string name)
    {
        var json = File.ReadAllText(SampleRepo.PlanFile(name));

        Assert.Empty(Scout.PlanSchema.Validate(json));
        Assert.NotNull(PlanReader.Read(json, out var problems));
        Assert.Empty(problems);
    }

    [Fact]
    public void Read_SchemaViolations_ListsEachWithItsPath()
    {
        var json = File.ReadAllText(SampleRepo.PlanFile("node"))
            .Replace("\"missing_runbook\"", "\"missing_magic\"", StringComparison.Ordinal)
            .Replace("\"overall_confidence\": 0.85", "\"overall_confidence\": 7", StringComparison.Ordinal);

        Assert.Null(PlanReader.Read(json, out var problems));

        Assert.Contains(problems, p => p.Contains("gaps[2].type", StringComparison.Ordinal) && p.Contains("NotInEnumeration", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("overall_confidence", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_ChangeForUnknownGap_IsAProblem()
    {
        var json = File.ReadAllText(SampleRepo.PlanFile("node")).Replace("\"gap_id\": \"missing_runbook:checkout\"", "\"gap_id\": \"missing_runbook:nobody\"", StringComparison.Ordinal);

        Assert.Null(PlanReader.Read(json, out var problems));

        Assert.Equal(["planned_changes[2].gap_id: 'missing_runbook:nobody' is not the id of a gap in this plan."], problems);
    }

    [Fact]
    public void Read_NotJson_SaysSo()
    {
        Assert.Null(PlanReader.Read("{ not json", out var problems));
        Assert.StartsWith("not JSON", Assert.Single(problems), StringComparison.Ordinal);
    }
}
