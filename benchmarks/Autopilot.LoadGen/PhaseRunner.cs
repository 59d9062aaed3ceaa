using System.Collections.Concurrent;
using System.Diagnostics;

namespace Autopilot.LoadGen;

/// <summary>
/// Runs one load phase against one server and measures it. Closed loop: N workers, each sends its next
/// request when the previous answered (finds the saturation rate). Open loop: requests start on a fixed
/// schedule whether or not earlier ones answered, up to an in-flight cap past which a request is counted
/// as skipped rather than queued in the client (shows what the server does when offered more than it can
/// take). Server CPU is counted from the start of the phase until the server is idle again, so work done
/// after the acknowledgement (pipeline, inventory, checkpoint) is charged to the phase that caused it.
/// </summary>
internal sealed class PhaseRunner
{
    private readonly ChildServer _server;
    private readonly TimeSpan _requestTimeout;
    private readonly long[] _outcomes = new long[Enum.GetValues<Outcome>().Length];
    private readonly ConcurrentQueue<double> _okLatencyMs = new();
    private long _okItems;
    private long _skipped;
    private long _lastCompletionTicks;

    public PhaseRunner(ChildServer server, TimeSpan requestTimeout)
    {
        _server = server;
        _requestTimeout = requestTimeout;
    }

    public Task<PhaseResult> RunClosedAsync(string name, ITarget target, int workers, TimeSpan duration, long firstSequence = 0, long endSequence = long.MaxValue) =>
        MeasureAsync(name, $"closed, {workers} streams", double.NaN, async clock =>
        {
            var tasks = new Task[workers];
            for (var w = 0; w < workers; w++)
            {
                var worker = w;
                tasks[w] = Task.Run(async () =>
                {
                    for (var seq = firstSequence; seq < endSequence && clock.Elapsed < duration && target.HasRequest(worker, seq); seq++)
                    {
                        await SendOneAsync(target, worker, seq, clock).ConfigureAwait(false);
                    }
                });
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
        });

    public Task<PhaseResult> RunOpenAsync(string name, ITarget target, double requestsPerSecond, double offeredItemsPerSecond, int maxInFlight, TimeSpan duration) =>
        MeasureAsync(name, $"open, ≤{maxInFlight} in flight", offeredItemsPerSecond, async clock =>
        {
            var inFlight = 0;
            var running = new List<Task>();
            long started = 0;
            while (clock.Elapsed < duration)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * requestsPerSecond) + 1;
                for (; started < due; started++)
                {
                    if (Volatile.Read(ref inFlight) >= maxInFlight)
                    {
                        Interlocked.Increment(ref _skipped);
                        continue;
                    }

                    Interlocked.Increment(ref inFlight);
                    var seq = started;
                    running.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await SendOneAsync(target, 0, seq, clock).ConfigureAwait(false);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref inFlight);
                        }
                    }));
                }

                running.RemoveAll(t => t.IsCompleted);
                await Task.Delay(1).ConfigureAwait(false);
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        });

    private async Task<PhaseResult> MeasureAsync(string name, string mode, double offered, Func<Stopwatch, Task> load)
    {
        var before = _server.Sample();
        var clientBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var rssMax = before.RssKb;
        using var stopSampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stopSampling.IsCancellationRequested)
            {
                rssMax = Math.Max(rssMax, _server.Sample().RssKb);
                try
                {
                    await Task.Delay(200, stopSampling.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var clock = Stopwatch.StartNew();
        await load(clock).ConfigureAwait(false);
        var window = TimeSpan.FromTicks(Interlocked.Read(ref _lastCompletionTicks)).TotalSeconds;
        var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientBefore).TotalSeconds;
        await WaitIdleAsync().ConfigureAwait(false);
        await stopSampling.CancelAsync().ConfigureAwait(false);
        await sampler.ConfigureAwait(false);
        var after = _server.Sample();

        var latencies = _okLatencyMs.ToArray();
        Array.Sort(latencies);
        return new PhaseResult(
            name, mode, offered, window, _okItems, (long[])_outcomes.Clone(), _skipped,
            ProcSample.CpuSeconds(before, after), clientCpu,
            after.RssKb, Math.Max(rssMax, after.RssKb), after.HwmKb,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Length > 0 ? latencies[^1] : double.NaN);
    }

    private async Task SendOneAsync(ITarget target, int worker, long seq, Stopwatch clock)
    {
        var start = clock.Elapsed;
        Outcome outcome;
        try
        {
            using var cts = new CancellationTokenSource(_requestTimeout);
            outcome = await target.SendAsync(worker, seq, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            outcome = Outcome.TimeoutOrError;
        }

        var end = clock.Elapsed;
        Interlocked.Increment(ref _outcomes[(int)outcome]);
        if (outcome == Outcome.Ok)
        {
            Interlocked.Add(ref _okItems, target.ItemsIn(worker, seq));
            _okLatencyMs.Enqueue((end - start).TotalMilliseconds);
        }

        // Last answer of the phase: the send window ends here, not at the schedule's end.
        long seen;
        while ((seen = Interlocked.Read(ref _lastCompletionTicks)) < end.Ticks
            && Interlocked.CompareExchange(ref _lastCompletionTicks, end.Ticks, seen) != seen)
        {
        }
    }

    /// <summary>Waits (at most 20 s) until the server uses under 5% of a core over half a second.</summary>
    private async Task WaitIdleAsync()
    {
        var deadline = Stopwatch.StartNew();
        var last = _server.Sample().CpuTicks;
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(500).ConfigureAwait(false);
            var now = _server.Sample().CpuTicks;
            if (now - last <= 2)
            {
                return;
            }

            last = now;
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}
