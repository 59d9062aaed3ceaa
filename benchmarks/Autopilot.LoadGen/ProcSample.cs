using System.Globalization;

namespace Autopilot.LoadGen;

/// <summary>
/// CPU and memory of one process, from <c>/proc/&lt;pid&gt;/stat</c> (utime + stime, all threads, in clock
/// ticks) and <c>/proc/&lt;pid&gt;/status</c> (VmRSS, VmHWM). Reading them costs the measured process nothing.
/// </summary>
internal readonly record struct ProcSample(long CpuTicks, long RssKb, long HwmKb)
{
    /// <summary><c>getconf CLK_TCK</c>; 100 on every Linux this runs on (checked at start-up).</summary>
    public const int ClockTicksPerSecond = 100;

    public static ProcSample Read(int pid)
    {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // After ')' the fields start at 3 (state); utime is field 14 and stime field 15.
        var utime = long.Parse(fields[14 - 3], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[15 - 3], CultureInfo.InvariantCulture);
        long rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = ParseKb(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                hwm = ParseKb(line);
            }
        }

        return new ProcSample(utime + stime, rss, hwm);
    }

    public static double CpuSeconds(ProcSample before, ProcSample after) => (after.CpuTicks - before.CpuTicks) / (double)ClockTicksPerSecond;

    private static long ParseKb(string line) =>
        long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
}
