using Autopilot.Rca.Graph;
using Autopilot.Rca.Ranking;

namespace Autopilot.Rca.Tests.Ranking;

/// <summary>
/// The burst's span search against its definition: for each finding's onset (ascending, the first of equal onsets), the
/// summed strength of the findings whose onset intervals overlap [onset, onset + window], summed in the findings' order;
/// the first start heavier than every earlier one by more than 1e-9 wins.
/// </summary>
public sealed class HeaviestSpanTests
{
    private const long Minute = 60_000_000_000;

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 5)]
    [InlineData(3, 40)]
    [InlineData(4, 200)]
    [InlineData(5, 500)]
    public void HeaviestSpan_RandomFindings_IsTheSpanTheDefinitionPicks(int seed, int count)
    {
        var random = new Random(seed);
        for (var round = 0; round < 20; round++)
        {
            // Onsets on a coarse grid so that many are equal and spans tie; strengths with few values so weights tie too.
            var fast = Enumerable.Range(0, count)
                .Select(_ => (Onset: random.Next(0, 120) * Minute / 2, Strength: random.Next(1, 5) / 4.0, HalfWidth: random.Next(0, 16) * Minute / 2, Plane: FaultPlane.Request))
                .OrderBy(f => f.Onset).ToList();
            var window = random.Next(1, 30) * Minute;

            var (index, weight) = Symptoms.HeaviestSpan(fast, window);

            var (expectedIndex, expectedWeight) = ByDefinition(fast, window);
            Assert.Equal(expectedIndex, index);
            Assert.Equal(expectedWeight, weight, 9);
        }
    }

    [Fact]
    public void HeaviestSpan_TwoBursts_PicksTheHeavierOne_AndTheEarlierOfEqualOnes()
    {
        List<(long Onset, double Strength, long HalfWidth, FaultPlane Plane)> fast =
        [
            (0, 0.5, 0, FaultPlane.Request), (Minute, 0.5, 0, FaultPlane.Request),
            (60 * Minute, 0.9, 0, FaultPlane.Request), (61 * Minute, 0.9, 0, FaultPlane.Request), (61 * Minute, 0.2, 0, FaultPlane.Request),
            (120 * Minute, 0.9, 0, FaultPlane.Request), (121 * Minute, 0.9, 0, FaultPlane.Request), (121 * Minute, 0.2, 0, FaultPlane.Request),
        ];

        Assert.Equal((2, 2.0), Symptoms.HeaviestSpan(fast, 5 * Minute));
    }

    private static (int Index, double Weight) ByDefinition(List<(long Onset, double Strength, long HalfWidth, FaultPlane Plane)> fast, long window)
    {
        var best = 0;
        var bestScore = double.MinValue;
        for (var i = 0; i < fast.Count; i++)
        {
            if (i > 0 && fast[i].Onset == fast[i - 1].Onset)
            {
                continue;
            }

            var score = 0.0;
            foreach (var (onset, strength, halfWidth, _) in fast)
            {
                if (onset - halfWidth <= fast[i].Onset + window && onset + halfWidth >= fast[i].Onset)
                {
                    score += strength;
                }
            }

            if (score > bestScore + 1e-9)
            {
                bestScore = score;
                best = i;
            }
        }

        return (best, bestScore);
    }
}
