using Autopilot.Engines.Drift;

namespace Autopilot.Engines.Tests.Drift;

public sealed class PsiTests
{
    [Fact]
    public void Compute_SameProportions_Zero()
    {
        Assert.Equal(0, Psi.Compute([0.25, 0.25, 0.5], [25, 25, 50], 100), 12);
    }

    [Fact]
    public void Compute_KnownShift_MatchesHandComputation()
    {
        // (0.9 − 0.5)·ln(0.9/0.5) + (0.1 − 0.5)·ln(0.1/0.5) = 0.4·ln 1.8 + 0.4·ln 5
        var expected = (0.4 * Math.Log(1.8)) + (0.4 * Math.Log(5));

        Assert.Equal(expected, Psi.Compute([0.5, 0.5], [90, 10], 100), 12);
        Assert.Equal(0.878890, expected, 5);
    }

    [Fact]
    public void Compute_EmptyBin_FlooredNotInfinite()
    {
        var psi = Psi.Compute([0.5, 0.5], [100, 0], 100);

        Assert.True(double.IsFinite(psi));
        Assert.True(psi > 2);
    }

    [Fact]
    public void Edges_Uniform1To100_Deciles()
    {
        var values = new List<double>();
        for (var i = 1; i <= 100; i++)
        {
            values.Add(i);
        }

        var edges = Psi.Edges(values, 10);

        Assert.Equal([11, 21, 31, 41, 51, 61, 71, 81, 91], edges);
        Assert.Equal(0, Psi.Bin(edges, 1));
        Assert.Equal(0, Psi.Bin(edges, 10.9));
        Assert.Equal(1, Psi.Bin(edges, 11));
        Assert.Equal(9, Psi.Bin(edges, 1000));
    }

    [Fact]
    public void Edges_ManyTies_Merged()
    {
        var values = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            values.Add(i < 80 ? 5 : i);
        }

        var edges = Psi.Edges(values, 10);

        Assert.Equal([5, 80, 90], edges);
    }
}
