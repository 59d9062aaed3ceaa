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

    [Fact]
    public void Bin_AnyEdgesAndValues_TheBinarySearchsBin()
    {
        // Bin counts edges without branches; it must give what a binary search over the ascending edges gives, for ties,
        // values on an edge, infinities and NaN too, and for every edge count (vector blocks of four and the rest).
        var random = new Random(20261207);
        double[] specials = [double.NaN, double.NegativeInfinity, double.PositiveInfinity, 0, -0.0, double.MaxValue, double.MinValue];
        for (var round = 0; round < 2_000; round++)
        {
            var edges = new double[random.Next(0, 20)];
            for (var i = 0; i < edges.Length; i++)
            {
                edges[i] = random.Next(4) == 0 && i > 0 ? edges[i - 1] : Math.Round((random.NextDouble() * 200) - 100, random.Next(3));
            }

            Array.Sort(edges);
            for (var k = 0; k < 20; k++)
            {
                var value = random.Next(5) switch
                {
                    0 when edges.Length > 0 => edges[random.Next(edges.Length)],
                    1 => specials[random.Next(specials.Length)],
                    _ => (random.NextDouble() * 240) - 120,
                };

                Assert.Equal(Psi.BinBySearch(edges, value), Psi.Bin(edges, value));
            }
        }
    }
}
