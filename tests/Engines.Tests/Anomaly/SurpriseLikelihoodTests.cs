using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class SurpriseLikelihoodTests
{
    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void ZBelow_EveryZUnderIt_ScoresUnderTheFireLevel(double fireLevel)
    {
        var floor = SurpriseLikelihood.ZBelow(fireLevel);

        for (var z = -10.0; z < floor; z += 0.001)
        {
            Assert.True(SurpriseLikelihood.LogScale(1.0 - SurpriseLikelihood.GaussianTail(z)) < fireLevel, $"z {z} under the floor {floor} scores at or above {fireLevel}");
        }

        // The floor is tight: just above it (past the margin) the score reaches the fire level.
        Assert.True(SurpriseLikelihood.LogScale(1.0 - SurpriseLikelihood.GaussianTail(floor + 0.06)) >= fireLevel);
    }

    [Fact]
    public void Update_BelowTheFloor_LearnsTheSameAsWithoutIt()
    {
        var cut = new SurpriseLikelihood();
        var full = new SurpriseLikelihood();
        var random = new Random(3);
        var floor = SurpriseLikelihood.ZBelow(0.5);
        var fired = 0;
        for (var i = 0; i < 5000; i++)
        {
            var s = random.NextDouble() * (i == 4000 ? 10 : 0.2);
            var a = cut.Update(s, 0.5, 0.001, 100, 0.01, floor);
            var b = full.Update(s, 0.5, 0.001, 100, 0.01, double.NegativeInfinity);

            Assert.Equal(b >= 0.5 ? b : 0.0, a >= 0.5 ? a : 0.0);
            Assert.True(a == b || a == 0.0, $"point {i}: {a} vs {b}");
            fired += a >= 0.5 ? 1 : 0;
        }

        Assert.True(fired > 0, "the burst at point 4000 should reach the fire level");

        Assert.Equal(full.LongRun.Mean, cut.LongRun.Mean);
        Assert.Equal(full.Recent, cut.Recent);
    }
}
