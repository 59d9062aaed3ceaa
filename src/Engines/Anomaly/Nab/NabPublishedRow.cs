namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>One detector's line in <see cref="NabPublishedReport"/>.</summary>
/// <param name="Detector">Detector name.</param>
/// <param name="FromRowOutputs">
/// False: NAB's published per-file scores, at the detector's full-corpus threshold. True: per-row outputs scored here with
/// <see cref="NabScorer"/>, at the threshold that is best on the files compared (how <c>bench nab</c> scores our detector).
/// </param>
/// <param name="Threshold">The threshold the subset score is taken at.</param>
/// <param name="FullCorpusPublished">The full-corpus normalised score in NAB's <c>final_results.json</c>, when given.</param>
/// <param name="FullCorpusFromCsv">The full-corpus normalised score computed from the CSV's <c>Totals</c> row and the null detector's, when both are there.</param>
/// <param name="SubsetRaw">Sum of the raw scores of the compared files; null when a file is missing.</param>
/// <param name="SubsetScore"><c>100 × (raw − null) / (perfect − null)</c> over the compared files; null when a file is missing.</param>
/// <param name="MissingFiles">Compared files the source has no score for.</param>
/// <param name="TotalsConsistent">Whether the CSV's file rows add up to its <c>Totals</c> row (always true for row outputs and CSVs without one).</param>
/// <param name="ReproductionMaxDifference">
/// For row outputs of a detector that also has published scores: the largest difference, over the compared files, between
/// <see cref="NabScorer"/>'s per-file score at the published threshold and the published one. Otherwise null.
/// </param>
/// <param name="SubsetScoreAtPublishedThreshold">For the same case: the subset score at the published threshold.</param>
public sealed record NabPublishedRow(
    string Detector,
    bool FromRowOutputs,
    double Threshold,
    double? FullCorpusPublished,
    double? FullCorpusFromCsv,
    double? SubsetRaw,
    double? SubsetScore,
    IReadOnlyList<string> MissingFiles,
    bool TotalsConsistent,
    double? ReproductionMaxDifference,
    double? SubsetScoreAtPublishedThreshold);
