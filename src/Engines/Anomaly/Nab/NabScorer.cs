namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>
/// Scores detector outputs with the Numenta Anomaly Benchmark rules: probation, sigmoid-weighted
/// window scores where only the earliest detection counts, false positives weighted by their distance
/// from the previous window, one threshold over all files chosen by sweeping every distinct score,
/// and normalisation between the null and the perfect detector.
/// </summary>
public static class NabScorer
{
    /// <summary>Rows at the start of a file of <paramref name="rows"/> rows that are never scored.</summary>
    public static int ProbationRows(int rows) => (int)Math.Min(Math.Floor(0.15 * rows), 750);

    /// <summary>NAB's scaled sigmoid: <c>2/(1+exp(5p)) - 1</c>, and -1 past three window widths.</summary>
    public static double ScaledSigmoid(double position) => position > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * position))) - 1.0;

    /// <summary>Scores <paramref name="files"/> under <paramref name="profile"/> with the best single threshold.</summary>
    public static NabProfileResult Score(IReadOnlyList<NabScoredSeries> files, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(profile);

        var prepared = new List<PreparedFile>(files.Count);
        var windowCount = 0;
        var pointCount = 0;
        foreach (var file in files)
        {
            var p = Prepare(file, profile, windowCount);
            prepared.Add(p);
            windowCount += p.WindowCount;
            pointCount += p.Scores.Length;
        }

        // Every scored row across all files, sorted by anomaly score descending: lowering the threshold
        // past a score turns all rows with that score into detections at once.
        var scores = new double[pointCount];
        var sweep = new double[pointCount];
        var window = new int[pointCount];
        var at = 0;
        foreach (var p in prepared)
        {
            p.Scores.CopyTo(scores, at);
            p.SweepScores.CopyTo(sweep, at);
            p.WindowIds.CopyTo(window, at);
            at += p.Scores.Length;
        }

        var order = new int[pointCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var keys = (double[])scores.Clone();
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = -keys[i];
        }

        Array.Sort(keys, order);

        var windowBest = new double[windowCount];
        Array.Fill(windowBest, -profile.FnWeight);
        var total = -profile.FnWeight * windowCount;

        // Threshold above every score: nothing detected, the null score.
        var bestTotal = total;
        var bestThreshold = pointCount == 0 ? 1.0 : Math.Max(1.0, scores[order[0]]) + 1e-9;
        for (var k = 0; k < order.Length;)
        {
            var threshold = scores[order[k]];
            for (; k < order.Length && scores[order[k]] == threshold; k++)
            {
                var i = order[k];
                var w = window[i];
                if (w < 0)
                {
                    total += sweep[i];
                }
                else if (sweep[i] > windowBest[w])
                {
                    total += sweep[i] - windowBest[w];
                    windowBest[w] = sweep[i];
                }
            }

            // Ties keep the higher threshold, as NAB's sweeper does.
            if (total > bestTotal)
            {
                bestTotal = total;
                bestThreshold = threshold;
            }
        }

        var perFile = new List<NabFileScore>(prepared.Count);
        foreach (var p in prepared)
        {
            perFile.Add(p.ScoreAt(bestThreshold, profile));
        }

        var perfect = windowCount * profile.TpWeight;
        var nul = -windowCount * profile.FnWeight;
        var normalized = perfect == nul ? 0.0 : 100.0 * (bestTotal - nul) / (perfect - nul);
        return new NabProfileResult(profile, bestThreshold, bestTotal, perfect, nul, normalized, perFile);
    }

    /// <summary>
    /// Scores <paramref name="files"/> under <paramref name="profile"/> at a given <paramref name="threshold"/> instead of
    /// the best one: how NAB reports a detector's per-file scores on any set of files, at the threshold it chose over
    /// its whole corpus.
    /// </summary>
    public static NabProfileResult ScoreAt(IReadOnlyList<NabScoredSeries> files, NabProfile profile, double threshold)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(profile);

        var perFile = new List<NabFileScore>(files.Count);
        var windowCount = 0;
        var raw = 0.0;
        foreach (var file in files)
        {
            var score = Prepare(file, profile, windowCount).ScoreAt(threshold, profile);
            perFile.Add(score);
            windowCount += score.Windows;
            raw += score.RawScore;
        }

        var perfect = windowCount * profile.TpWeight;
        var nul = -windowCount * profile.FnWeight;
        var normalized = perfect == nul ? 0.0 : 100.0 * (raw - nul) / (perfect - nul);
        return new NabProfileResult(profile, threshold, raw, perfect, nul, normalized, perFile);
    }

    /// <summary>Maps windows to row ranges: first row at or after the start, last row at or before the end.</summary>
    internal static (int Left, int Right)[] WindowRows(IReadOnlyList<DateTime> timestamps, IReadOnlyList<NabWindow> windows)
    {
        var result = new (int, int)[windows.Count];
        for (var w = 0; w < windows.Count; w++)
        {
            var left = -1;
            var right = -1;
            for (var i = 0; i < timestamps.Count; i++)
            {
                if (timestamps[i] >= windows[w].Start && timestamps[i] <= windows[w].End)
                {
                    if (left < 0)
                    {
                        left = i;
                    }

                    right = i;
                }
            }

            if (left < 0)
            {
                throw new ArgumentException($"Window {windows[w].Start:yyyy-MM-dd HH:mm:ss} .. {windows[w].End:yyyy-MM-dd HH:mm:ss} holds no row of the file.", nameof(windows));
            }

            result[w] = (left, right);
        }

        Array.Sort(result, (a, b) => a.Item1.CompareTo(b.Item1));
        return result;
    }

    private static PreparedFile Prepare(NabScoredSeries file, NabProfile profile, int firstWindowId)
    {
        if (file.Scores.Count != file.Timestamps.Count)
        {
            throw new ArgumentException($"{file.Name}: {file.Scores.Count} scores for {file.Timestamps.Count} rows.", nameof(file));
        }

        var n = file.Timestamps.Count;
        var probation = ProbationRows(n);
        var rows = WindowRows(file.Timestamps, file.Windows);
        var scaleTp = profile.TpWeight / ScaledSigmoid(-1.0);

        var count = Math.Max(0, n - probation);
        var scores = new double[count];
        var sweep = new double[count];
        var ids = new int[count];
        var next = 0;
        var previous = -1;
        for (var i = probation; i < n; i++)
        {
            while (next < rows.Length && rows[next].Right < i)
            {
                previous = next;
                next++;
            }

            var j = i - probation;
            scores[j] = file.Scores[i];
            if (next < rows.Length && rows[next].Left <= i)
            {
                var width = rows[next].Right - rows[next].Left + 1;
                sweep[j] = ScaledSigmoid(-(rows[next].Right - i + 1) / (double)width) * scaleTp;
                ids[j] = firstWindowId + next;
            }
            else if (previous < 0)
            {
                sweep[j] = -profile.FpWeight;
                ids[j] = -1;
            }
            else
            {
                var width = rows[previous].Right - rows[previous].Left + 1;
                var position = width > 1 ? (i - rows[previous].Right) / (double)(width - 1) : double.PositiveInfinity;
                sweep[j] = ScaledSigmoid(position) * profile.FpWeight;
                ids[j] = -1;
            }
        }

        return new PreparedFile(file.Name, rows.Length, firstWindowId, scores, sweep, ids);
    }

    private sealed record PreparedFile(string Name, int WindowCount, int FirstWindowId, double[] Scores, double[] SweepScores, int[] WindowIds)
    {
        public NabFileScore ScoreAt(double threshold, NabProfile profile)
        {
            var best = new double[WindowCount];
            Array.Fill(best, double.NegativeInfinity);
            var raw = 0.0;
            var fp = 0;
            for (var j = 0; j < Scores.Length; j++)
            {
                if (Scores[j] < threshold)
                {
                    continue;
                }

                if (WindowIds[j] < 0)
                {
                    raw += SweepScores[j];
                    fp++;
                }
                else
                {
                    var w = WindowIds[j] - FirstWindowId;
                    best[w] = Math.Max(best[w], SweepScores[j]);
                }
            }

            var tp = 0;
            foreach (var b in best)
            {
                if (double.IsNegativeInfinity(b))
                {
                    raw -= profile.FnWeight;
                }
                else
                {
                    raw += b;
                    tp++;
                }
            }

            return new NabFileScore(Name, raw, WindowCount, tp, fp, WindowCount - tp);
        }
    }
}
