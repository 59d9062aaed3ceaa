using Autopilot.Engines.Logs;

namespace Autopilot.Engines.Tests.Logs;

public sealed class GroupingAccuracyTests
{
    [Fact]
    public void Compute_IdenticalGroupingsWithOtherLabels_IsOne()
    {
        Assert.Equal(1.0, GroupingAccuracy.Compute(new[] { 7, 7, 9, 9, 9 }, new[] { "a", "a", "b", "b", "b" }));
    }

    [Fact]
    public void Compute_TwoTrueGroupsMerged_CountsNeitherGroup()
    {
        // Lines 1-2 (a) and 3 (b) share predicted group 1; line 4 is alone in both.
        Assert.Equal(0.25, GroupingAccuracy.Compute(new[] { 1, 1, 1, 2 }, new[] { "a", "a", "b", "c" }));
    }

    [Fact]
    public void Compute_TrueGroupSplit_CountsNeitherPart()
    {
        Assert.Equal(0.4, GroupingAccuracy.Compute(new[] { 1, 1, 2, 3, 3 }, new[] { "a", "a", "a", "b", "b" }));
    }

    [Fact]
    public void Compute_NoLines_IsOne()
    {
        Assert.Equal(1.0, GroupingAccuracy.Compute(Array.Empty<int>(), Array.Empty<string>()));
    }

    [Fact]
    public void Compute_DifferentLengths_Throws()
    {
        Assert.Throws<ArgumentException>(() => GroupingAccuracy.Compute(new[] { 1 }, new[] { "a", "b" }));
    }
}
