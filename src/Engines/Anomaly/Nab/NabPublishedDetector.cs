namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>
/// One detector's per-file scores as NAB publishes them in <c>results/&lt;detector&gt;/&lt;detector&gt;_&lt;profile&gt;_scores.csv</c>:
/// the raw score of every file at the one threshold NAB chose for that detector over its whole corpus.
/// </summary>
/// <param name="Name">Detector name (the folder name under <c>results/</c>).</param>
/// <param name="Path">The CSV the scores were read from.</param>
/// <param name="Threshold">The threshold in the CSV's <c>Threshold</c> column (the first file row's; see <paramref name="ThresholdsAgree"/>).</param>
/// <param name="ThresholdsAgree">Whether every file row carries the same threshold, as NAB writes it.</param>
/// <param name="FileScores">Raw score per file, keyed by <c>category/name.csv</c>.</param>
/// <param name="Totals">The <c>Totals</c> row's score (the full-corpus raw score), or null when the CSV has none.</param>
public sealed record NabPublishedDetector(
    string Name,
    string Path,
    double Threshold,
    bool ThresholdsAgree,
    IReadOnlyDictionary<string, double> FileScores,
    double? Totals);
