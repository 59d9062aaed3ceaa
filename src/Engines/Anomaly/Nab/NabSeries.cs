namespace Autopilot.Engines.Anomaly.Nab;

/// <summary>One NAB data file: its rows in time order and its labelled windows.</summary>
/// <param name="Name">Path relative to the data folder with forward slashes, e.g. <c>realKnownCause/nyc_taxi.csv</c>.</param>
/// <param name="Timestamps">Row timestamps (UTC, as written in the file).</param>
/// <param name="Values">Row values.</param>
/// <param name="Windows">Ground-truth windows (empty when the file has none).</param>
public sealed record NabSeries(string Name, IReadOnlyList<DateTime> Timestamps, IReadOnlyList<double> Values, IReadOnlyList<NabWindow> Windows);
