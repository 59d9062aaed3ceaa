using System.Diagnostics;
using System.Globalization;

namespace Autopilot.LoadGen;

/// <summary>The facts a result needs to be read: CPU, memory, OS, runtime, load; and the quiet-machine gate.</summary>
internal static class Machine
{
    private const string OtherBenchmarks = "Autopilot.Benchmarks|BenchmarkDotNet";

    public static string Describe()
    {
        var model = Run("lscpu").Split('\n').Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim() == "Model name").Select(p => p[1].Trim()).FirstOrDefault() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "Linux";
        return string.Create(CultureInfo.InvariantCulture,
            $"{model}, {Environment.ProcessorCount} cores, {long.Parse(memKb, CultureInfo.InvariantCulture) / 1024 / 1024.0:0.0} GiB, {os}, kernel {Environment.OSVersion.Version}, .NET SDK {Run("dotnet", "--version").Trim()}, runtime {Environment.Version}");
    }

    public static string Uptime() => Run("uptime").Trim();

    public static int ClockTicks() => int.Parse(Run("getconf", "CLK_TCK").Trim(), CultureInfo.InvariantCulture);

    /// <summary>1-minute load average from /proc/loadavg.</summary>
    public static double Load1() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// Cores busy over the last <paramref name="window"/> (all processes, from /proc/stat). Unlike the load
    /// average, which takes minutes to decay, it does not still count the previous phase's own load.
    /// </summary>
    public static async Task<double> BusyCoresAsync(TimeSpan window)
    {
        var (busy0, total0) = CpuTimes();
        await Task.Delay(window).ConfigureAwait(false);
        var (busy1, total1) = CpuTimes();
        return total1 == total0 ? 0 : Environment.ProcessorCount * (busy1 - busy0) / (double)(total1 - total0);
    }

    /// <summary>
    /// Waits, polling every 30 s for at most <paramref name="limit"/>, until no other benchmark runs and
    /// fewer than <paramref name="maxBusyCores"/> cores are busy over 5 s. Returns null when quiet, otherwise what
    /// was still going on; the caller refuses to measure beside another benchmark but may measure on a
    /// merely busy machine, saying so in the report.
    /// </summary>
    public static async Task<(bool OtherBenchmark, string? Problem)> WaitQuietAsync(TimeSpan limit, double maxBusyCores)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var others = Run("pgrep", "-fa", OtherBenchmarks).Trim();
            var busy = await BusyCoresAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            string? problem = others.Length > 0 ? $"another benchmark is running: {others.Split('\n')[0]}"
                : busy >= maxBusyCores ? string.Create(CultureInfo.InvariantCulture, $"{busy:0.00} cores busy with other work (limit {maxBusyCores:0.00})")
                : null;
            if (problem is null || waited.Elapsed >= limit)
            {
                return (others.Length > 0, problem);
            }

            Console.Error.WriteLine($"waiting for a quiet machine ({waited.Elapsed:mm\\:ss} so far): {problem}");
            await Task.Delay(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
    }

    private static (long Busy, long Total) CpuTimes()
    {
        // "cpu  user nice system idle iowait irq softirq steal ..."
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var total = fields.Sum();
        return (total - fields[3] - fields[4], total);
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, UseShellExecute = false };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }
}
