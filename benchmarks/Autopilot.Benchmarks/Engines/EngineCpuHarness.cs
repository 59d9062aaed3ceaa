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
/// <c>engine-cpu [engines] [warm-up passes] [pairs] --pair-by-signal</c> measures the shard handed batches as ranges
/// against the same shard handed one signal at a time, in one process: two shards on the same stream, their passes
/// alternating (which goes first alternates too), so both see the same moments of a noisy host; it prints each one's
/// median CPU time per signal and the median of the pairs' ratios.
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
        if (args.Contains("--pair-by-signal"))
        {
            foreach (var engine in engines)
            {
                RunPairs(engine, warmup, passes);
            }

            return;
        }

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

    private static void RunPairs(string engine, int warmup, int pairs)
    {
        var range = new EngineThroughputBenchmarks { Engine = engine };
        var bySignal = new EngineThroughputBenchmarks { Engine = engine, BySignal = true };
        range.Setup();
        bySignal.Setup();
        try
        {
            for (var i = 0; i < warmup; i++)
            {
                range.AllEngines();
                bySignal.AllEngines();
            }

            var rangeNs = new double[pairs];
            var signalNs = new double[pairs];
            var ratios = new double[pairs];
            for (var i = 0; i < pairs; i++)
            {
                if (i % 2 == 0)
                {
                    rangeNs[i] = Pass(range);
                    signalNs[i] = Pass(bySignal);
                }
                else
                {
                    signalNs[i] = Pass(bySignal);
                    rangeNs[i] = Pass(range);
                }

                ratios[i] = signalNs[i] / rangeNs[i];
            }

            Console.WriteLine("engine\tranges ns/signal (median)\tone at a time ns/signal (median)\tmedian ratio (one at a time / ranges)\tpairs");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{engine}\t{Median(rangeNs):0.0}\t{Median(signalNs):0.0}\t{Median(ratios):0.000}\t{pairs}"));
        }
        finally
        {
            range.Cleanup();
            bySignal.Cleanup();
        }

        static double Pass(EngineThroughputBenchmarks bench)
        {
            var before = ThreadCpuNanos();
            bench.AllEngines();
            return (ThreadCpuNanos() - before) / (double)EngineThroughputBenchmarks.SignalsPerPass;
        }
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count).</summary>
    internal static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
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
