using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// CPU time per signal of <see cref="EngineThroughputBenchmarks"/>, for a machine too loaded for wall-clock
/// medians: runs the same benchmark method in-process and divides the driving thread's CPU time
/// (<c>CLOCK_THREAD_CPUTIME_ID</c>) and its allocated bytes by the signals. Other threads (GC, tiered JIT) are
/// not in the figure; the process CPU time is printed beside it. Usage:
/// <c>engine-cpu [engine,engine,…|all] [warm-up passes] [measured passes] [--alloc]</c>; with <c>--alloc</c> the
/// runtime's allocation-tick events (one per ~100 KB allocated) are counted by type during the measured passes.
/// </summary>
internal static partial class EngineCpuHarness
{
    private const int ClockThreadCpuTime = 3;

    public static void Run(string[] args)
    {
        var engines = args.Length > 0 ? args[0].Split(',') : ["all"];
        var warmup = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20;
        var passes = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30;
        var sampleAllocations = args.Contains("--alloc");
        Console.WriteLine("engine\tCPU ns/signal (thread)\tprocess CPU ns/signal\tB/signal\tsignals/CPU-s\tfindings");
        foreach (var engine in engines)
        {
            var bench = new EngineThroughputBenchmarks { Engine = engine };
            bench.Setup();
            try
            {
                for (var i = 0; i < warmup; i++)
                {
                    bench.AllEngines();
                }

                using var allocations = sampleAllocations ? new AllocationSampler() : null;
                var process = Process.GetCurrentProcess();
                var processBefore = process.TotalProcessorTime;
                using var evictions = new EvictionCounter();
                var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
                var cpuBefore = ThreadCpuNanos();
                long findings = 0;
                for (var i = 0; i < passes; i++)
                {
                    findings = bench.AllEngines();
                }

                var cpu = ThreadCpuNanos() - cpuBefore;
                var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
                process.Refresh();
                var processCpu = (process.TotalProcessorTime - processBefore).Ticks * 100.0;
                double signals = (long)passes * EngineThroughputBenchmarks.SignalsPerPass;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{engine}\t{cpu / signals:0.0}\t{processCpu / signals:0.0}\t{allocated / signals:0.00}\t{1e9 / (cpu / signals):N0}\t{findings}"));
                allocations?.Print();
                evictions.Print(signals);
            }
            finally
            {
                bench.Cleanup();
            }
        }
    }

    private static long ThreadCpuNanos()
    {
        if (ClockGetTime(ClockThreadCpuTime, out var ts) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (ts.Seconds * 1_000_000_000L) + ts.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
