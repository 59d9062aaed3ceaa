using System.Globalization;
using System.Text.Json;
using Autopilot.Engines.Anomaly.Nab;

namespace Autopilot.Host.Bench;

/// <summary>The report of <c>autopilot bench nab-published</c>, as text or JSON.</summary>
internal static class NabPublishedReportText
{
    public static string Text(NabPublishedReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        w.WriteLine(string.Create(c, $"NAB detectors on {report.Files} files ({report.Windows} windows), profile {report.Profile.Name}: null {report.NullScore:F2}, perfect {report.PerfectScore:F2}"));
        w.WriteLine("published rows: NAB's per-file scores at the detector's full-corpus threshold; rows: per-row outputs scored here at the threshold best on these files");
        var width = Math.Max(8, report.Rows.Count == 0 ? 0 : report.Rows.Max(r => r.Detector.Length));
        w.WriteLine($"{"detector".PadRight(width)}  {"source",-9}  {"threshold",10}  {"full (NAB)",10}  {"full (csv)",10}  {"subset raw",10}  {"subset",7}  note");
        foreach (var r in report.Rows)
        {
            w.Write(r.Detector.PadRight(width));
            w.Write(string.Create(c, $"  {(r.FromRowOutputs ? "rows" : "published"),-9}  {Number(r.Threshold, "F6"),10}  {Number(r.FullCorpusPublished, "F2"),10}  {Number(r.FullCorpusFromCsv, "F2"),10}  {Number(r.SubsetRaw, "F3"),10}  {Number(r.SubsetScore, "F2"),7}"));
            var notes = Notes(r);
            if (notes.Length > 0)
            {
                w.Write("  " + notes);
            }

            w.WriteLine();
        }

        foreach (var m in report.WindowMismatches)
        {
            w.WriteLine("window check failed: " + m);
        }

        var best = report.Rows.FirstOrDefault(r => r.SubsetScore is not null && !r.FromRowOutputs);
        if (best is not null)
        {
            w.WriteLine(string.Create(c, $"Best published detector on these files: {best.Detector} {best.SubsetScore:F2} (full corpus {Number(best.FullCorpusPublished ?? best.FullCorpusFromCsv, "F2")})"));
        }

        return w.ToString();
    }

    public static string Json(NabPublishedReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("profile", report.Profile.Name);
            json.WriteNumber("files", report.Files);
            json.WriteNumber("windows", report.Windows);
            json.WriteNumber("null", report.NullScore);
            json.WriteNumber("perfect", report.PerfectScore);
            json.WriteStartArray("detectors");
            foreach (var r in report.Rows)
            {
                json.WriteStartObject();
                json.WriteString("name", r.Detector);
                json.WriteString("source", r.FromRowOutputs ? "rows" : "published");
                Write(json, "threshold", double.IsNaN(r.Threshold) ? null : r.Threshold);
                Write(json, "full_corpus_published", r.FullCorpusPublished);
                Write(json, "full_corpus_from_csv", r.FullCorpusFromCsv);
                Write(json, "subset_raw", r.SubsetRaw);
                Write(json, "subset_score", r.SubsetScore);
                json.WriteBoolean("totals_consistent", r.TotalsConsistent);
                Write(json, "reproduction_max_difference", r.ReproductionMaxDifference);
                Write(json, "subset_score_at_published_threshold", r.SubsetScoreAtPublishedThreshold);
                json.WriteStartArray("missing_files");
                foreach (var m in r.MissingFiles)
                {
                    json.WriteStringValue(m);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("window_mismatches");
            foreach (var m in report.WindowMismatches)
            {
                json.WriteStringValue(m);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static string Notes(NabPublishedRow r)
    {
        var c = CultureInfo.InvariantCulture;
        var notes = new List<string>();
        if (r.MissingFiles.Count > 0)
        {
            notes.Add(string.Create(c, $"{r.MissingFiles.Count} of the files have no score (first: {r.MissingFiles[0]})"));
        }

        if (!r.TotalsConsistent)
        {
            notes.Add("file rows do not add up to the Totals row");
        }

        if (r.FullCorpusPublished is { } a && r.FullCorpusFromCsv is { } b && Math.Abs(a - b) > 0.005)
        {
            notes.Add("CSV is not the run final_results.json reports");
        }

        if (r.SubsetScoreAtPublishedThreshold is { } at)
        {
            notes.Add(string.Create(c, $"at the published threshold: {at:F2}, per-file scores within {Number(r.ReproductionMaxDifference, "G3")} of the published ones"));
        }

        return string.Join("; ", notes);
    }

    private static string Number(double? value, string format) =>
        value is { } v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static void Write(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
