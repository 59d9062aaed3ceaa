namespace Autopilot.Engines.Logs;

/// <summary>
/// Grouping Accuracy of a log parser (Zhu et al., "Tools and Benchmarks for Automated Log Parsing"):
/// a line counts as correct when the set of lines in its predicted group equals the set of lines in its true group.
/// </summary>
public static class GroupingAccuracy
{
    /// <summary>Correct lines divided by all lines; 1 for no lines.</summary>
    /// <exception cref="ArgumentException">The two sequences differ in length.</exception>
    public static double Compute<TPredicted, TTruth>(IReadOnlyList<TPredicted> predicted, IReadOnlyList<TTruth> truth)
        where TPredicted : notnull
        where TTruth : notnull
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(truth);
        if (predicted.Count != truth.Count)
        {
            throw new ArgumentException($"{predicted.Count} predicted ids for {truth.Count} true ids; both must have one id per line.", nameof(predicted));
        }

        if (predicted.Count == 0)
        {
            return 1.0;
        }

        // A predicted group is exactly a true group when both have the same size and every line of the
        // predicted group carries the same true id: then the true group's lines are all in it.
        var predictedSize = new Dictionary<TPredicted, int>();
        var truthSize = new Dictionary<TTruth, int>();
        var firstTruth = new Dictionary<TPredicted, TTruth>();
        var pure = new Dictionary<TPredicted, bool>();
        var comparer = EqualityComparer<TTruth>.Default;
        for (var i = 0; i < predicted.Count; i++)
        {
            var p = predicted[i];
            var t = truth[i];
            predictedSize[p] = predictedSize.GetValueOrDefault(p) + 1;
            truthSize[t] = truthSize.GetValueOrDefault(t) + 1;
            if (firstTruth.TryGetValue(p, out var first))
            {
                if (!comparer.Equals(first, t))
                {
                    pure[p] = false;
                }
            }
            else
            {
                firstTruth[p] = t;
                pure[p] = true;
            }
        }

        var correct = 0L;
        foreach (var (p, size) in predictedSize)
        {
            if (pure[p] && truthSize[firstTruth[p]] == size)
            {
                correct += size;
            }
        }

        return (double)correct / predicted.Count;
    }
}
