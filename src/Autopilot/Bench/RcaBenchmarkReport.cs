using System.Globalization;
using System.Text.Json;
using Autopilot.Simulator.Accuracy;
using Autopilot.Simulator.Faults;

namespace Autopilot.Host.Bench;

/// <summary>The report of <c>autopilot bench rca</c>: per fault kind and in total, runs, detected, root flagged, top-1, top-3; as text or JSON.</summary>
internal static class RcaBenchmarkReport
{
    public static string Text(IReadOnlyList<RcaRunScore> scores, RcaBenchmarkOptions options)
    {
        var c = CultureInfo.InvariantCulture;
        var w = new StringWriter(c);
        var sources = string.Join(", ", scores.Where(s => s.Error is null && s.Detected).Select(s => s.RankingSource).Distinct(StringComparer.Ordinal));
        w.WriteLine(string.Create(c, $"RCA accuracy: {scores.Count} runs, seeds {options.Seed}..{options.Seed + scores.Count - 1}, ranking {options.Ranking} (scored: {(sources.Length == 0 ? "none" : sources)})"));
        w.WriteLine($"{"fault",-15} {"runs",5} {"detected",9} {"root flagged",13} {"top-1",14} {"top-3",14} {"incidents/fault",16}");
        foreach (var kind in FaultKinds.All)
        {
            var of = scores.Where(s => s.Kind == kind).ToList();
            if (of.Count > 0)
            {
                Row(w, FaultKinds.Name(kind), of);
            }
        }

        Row(w, "total", scores);
        var errors = scores.Where(s => s.Error is not null).ToList();
        foreach (var e in errors)
        {
            w.WriteLine(string.Create(c, $"run {e.Run} (seed {e.Seed}, {FaultKinds.Name(e.Kind)}) failed: {e.Error}"));
        }

        w.WriteLine("goal: top-1 >= 80 %, top-3 >= 95 % (issue 5)");
        return w.ToString();
    }

    /// <summary>One progress line per finished run.</summary>
    public static string RunLine(RcaRunScore s, int total)
    {
        var c = CultureInfo.InvariantCulture;
        var outcome = s.Error is not null ? "error: " + s.Error
            : !s.Detected ? "not detected"
            : s.Rank is { } rank ? string.Create(c, $"root ranked {rank} of {s.RankedRoots.Count}")
            : string.Create(c, $"root not among {s.RankedRoots.Count} ranked ({(s.RankedRoots.Count > 0 ? "top: " + s.RankedRoots[0] : "none")})");
        return string.Create(c, $"[{s.Run}/{total}] seed {s.Seed} {FaultKinds.Name(s.Kind)} on {s.Target}: {outcome}; {s.FaultFindings} fault finding(s) in the incident, {s.FaultIncidents} incident(s) with fault findings, {s.Spans} spans, {s.Elapsed.TotalSeconds:0.0} s");
    }

    public static string Json(IReadOnlyList<RcaRunScore> scores, RcaBenchmarkOptions options)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("runs", scores.Count);
            json.WriteNumber("seed", options.Seed);
            json.WriteString("ranking", options.Ranking);
            json.WriteStartArray("kinds");
            foreach (var kind in FaultKinds.All)
            {
                var of = scores.Where(s => s.Kind == kind).ToList();
                if (of.Count > 0)
                {
                    Totals(json, FaultKinds.Name(kind), of);
                }
            }

            json.WriteEndArray();
            json.WritePropertyName("total");
            Totals(json, "total", scores);
            json.WriteStartArray("results");
            foreach (var s in scores)
            {
                json.WriteStartObject();
                json.WriteNumber("run", s.Run);
                json.WriteNumber("seed", s.Seed);
                json.WriteString("fault", FaultKinds.Name(s.Kind));
                json.WriteString("target", s.Target);
                json.WriteString("root_urn", s.RootUrn);
                if (s.IncidentId is not null)
                {
                    json.WriteString("incident", s.IncidentId);
                }

                json.WriteString("ranking_source", s.RankingSource);
                if (s.Rank is { } rank)
                {
                    json.WriteNumber("rank", rank);
                }

                json.WriteStartArray("ranked_roots");
                foreach (var urn in s.RankedRoots)
                {
                    json.WriteStringValue(urn);
                }

                json.WriteEndArray();
                json.WriteBoolean("top1", s.Top1);
                json.WriteBoolean("top3", s.Top3);
                json.WriteNumber("fault_findings", s.FaultFindings);
                json.WriteNumber("fault_incidents", s.FaultIncidents);
                json.WriteBoolean("root_flagged", s.RootHasFinding);
                json.WriteNumber("spans", s.Spans);
                json.WriteNumber("seconds", Math.Round(s.Elapsed.TotalSeconds, 1));
                if (s.Error is not null)
                {
                    json.WriteString("error", s.Error);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static void Row(StringWriter w, string name, IReadOnlyList<RcaRunScore> of)
    {
        var c = CultureInfo.InvariantCulture;
        var detected = of.Count(s => s.Detected);
        var incidents = detected == 0 ? 0 : of.Where(s => s.Detected).Average(s => s.FaultIncidents);
        w.WriteLine(string.Create(c, $"{name,-15} {of.Count,5} {detected,9} {of.Count(s => s.RootHasFinding),13} {Rate(of.Count(s => s.Top1), of.Count),14} {Rate(of.Count(s => s.Top3), of.Count),14} {incidents,16:0.0}"));
    }

    private static string Rate(int hits, int runs) => string.Create(CultureInfo.InvariantCulture, $"{hits} ({100.0 * hits / runs:0.0} %)");

    private static void Totals(Utf8JsonWriter json, string name, IReadOnlyList<RcaRunScore> of)
    {
        json.WriteStartObject();
        json.WriteString("fault", name);
        json.WriteNumber("runs", of.Count);
        json.WriteNumber("detected", of.Count(s => s.Detected));
        json.WriteNumber("root_flagged", of.Count(s => s.RootHasFinding));
        json.WriteNumber("top1", of.Count(s => s.Top1));
        json.WriteNumber("top3", of.Count(s => s.Top3));
        json.WriteNumber("top1_rate", Math.Round((double)of.Count(s => s.Top1) / of.Count, 4));
        json.WriteNumber("top3_rate", Math.Round((double)of.Count(s => s.Top3) / of.Count, 4));
        json.WriteNumber("errors", of.Count(s => s.Error is not null));
        json.WriteEndObject();
    }
}
