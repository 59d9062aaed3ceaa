namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>How published NAB detectors (and any per-row outputs given) score on a set of files.</summary>
/// <param name="Profile">The cost profile.</param>
/// <param name="Files">Number of files compared.</param>
/// <param name="Windows">Labelled windows in those files.</param>
/// <param name="NullScore"><c>−windows × fn</c>: a detector that never fires.</param>
/// <param name="PerfectScore"><c>windows × tp</c>.</param>
/// <param name="Rows">One row per detector, best subset score first; rows with missing files last.</param>
/// <param name="WindowMismatches">
/// Files whose window count in <c>windows.json</c> differs from the one NAB's null detector implies (its per-file score is
/// <c>−windows × fn</c>); empty when they agree or no null detector was given. A mismatch means NAB scored other labels.
/// </param>
public sealed record NabPublishedReport(
    NabProfile Profile,
    int Files,
    int Windows,
    double NullScore,
    double PerfectScore,
    IReadOnlyList<NabPublishedRow> Rows,
    IReadOnlyList<string> WindowMismatches);
