using System.Globalization;
using System.Text;

namespace Autopilot.LoadGen;

/// <summary>Markdown tables of phase results.</summary>
internal static class Report
{
    public static string OtlpTable(IEnumerable<PhaseResult> phases)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| phase | mode | offered spans/s | accepted spans/s | server CPU s | spans per server CPU-s | server RSS end / phase max MiB | p50 / p99 / max ack ms | OK | RESOURCE_EXHAUSTED | UNAVAILABLE | other | timeout/error | skipped (client cap) | loadgen CPU s |");
        sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var p in phases)
        {
            sb.AppendLine(Invariant(
                $"| {p.Name} | {p.Mode} | {Rate(p.OfferedPerSecond)} | {Rate(p.AcceptedPerSecond)} | {p.ServerCpuSeconds:0.00} | {Rate(p.ItemsPerCpuSecond)} | {Mib(p.RssEndKb)} / {Mib(p.RssMaxKb)} | {Ms(p.P50Ms)} / {Ms(p.P99Ms)} / {Ms(p.MaxMs)} | {p.Count(Outcome.Ok)} | {p.Count(Outcome.ResourceExhausted)} | {p.Count(Outcome.Unavailable)} | {p.Count(Outcome.Other)} | {p.Count(Outcome.TimeoutOrError)} | {p.Skipped} | {p.ClientCpuSeconds:0.0} |"));
        }

        return sb.ToString();
    }

    public static string RemoteWriteTable(IReadOnlyList<PhaseResult> phases)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| server | mode | requests | accepted samples/s | server CPU s | samples per server CPU-s | server RSS end / phase max MiB | p50 / p99 ms | OK | refused (429/503) | other | timeout/error |");
        sb.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var p in phases)
        {
            sb.AppendLine(Invariant(
                $"| {p.Name} | {p.Mode} | {p.Requests} | {Rate(p.AcceptedPerSecond)} | {p.ServerCpuSeconds:0.00} | {Rate(p.ItemsPerCpuSecond)} | {Mib(p.RssEndKb)} / {Mib(p.RssMaxKb)} | {Ms(p.P50Ms)} / {Ms(p.P99Ms)} | {p.Count(Outcome.Ok)} | {p.Count(Outcome.ResourceExhausted) + p.Count(Outcome.Unavailable)} | {p.Count(Outcome.Other)} | {p.Count(Outcome.TimeoutOrError)} |"));
        }

        return sb.ToString();
    }

    public static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double v) => double.IsNaN(v) ? "max" : v.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Ms(double v) => double.IsNaN(v) ? "–" : v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    private static string Mib(long kb) => (kb / 1024.0).ToString("0", CultureInfo.InvariantCulture);
}
