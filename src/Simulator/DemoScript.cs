using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator;

/// <summary>
/// Drives the simulated shop for <c>autopilot demo</c>: first a <see cref="Backfill"/> of healthy history simulated as
/// fast as the server takes it and ending at the current time (so the engines have the baselines they need), then
/// live traffic in real time, with faults injected on a schedule relative to the moment the live phase begins (when
/// the backfill is done).
/// </summary>
/// <example>
/// <code>
/// var topology = ShopTopology.Default();
/// var demo = new DemoScript(new SimulatorOptions { Endpoint = new Uri("http://127.0.0.1:4318") }, topology)
///     .Inject(FaultCatalog.Create(FaultKind.DeployErrors, topology, "sim", "payment"), after: TimeSpan.FromSeconds(30));
/// var stats = await demo.RunAsync(TimeSpan.FromMinutes(3), new Progress&lt;SimulationProgress&gt;(p =&gt; Console.WriteLine(p.Message)), ct);
/// </code>
/// </example>
/// <remarks>
/// Progress: <see cref="SimulationPhase.FastForward"/> when the backfill starts and every <see cref="ProgressInterval"/>
/// of it, <see cref="SimulationPhase.Live"/> when the live phase starts and every <see cref="ProgressInterval"/> of it,
/// <see cref="SimulationPhase.FaultInjected"/> and
/// <see cref="SimulationPhase.FaultCleared"/> at each scheduled fault's start and end (with the fault, whose
/// <see cref="FaultSpec.RootUrn"/> is the answer the RCA should give), and <see cref="SimulationPhase.Completed"/> at the
/// end. Callbacks run on the simulation's thread, between steps: keep them short. The run stops when
/// <c>duration</c> has passed in the live phase or the token is cancelled (cancellation is a normal stop: the
/// telemetry produced so far is flushed and the statistics returned).
/// </remarks>
public sealed class DemoScript
{
    private readonly SimulatorOptions _options;
    private readonly ShopTopology _topology;
    private readonly List<ScheduledFault> _faults = [];

    public DemoScript(SimulatorOptions options, ShopTopology? topology = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _topology = topology ?? ShopTopology.Default();
    }

    /// <summary>Seed of the traffic. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Healthy history simulated before the live phase, ending at the current time. Default 90 min: the detectors'
    /// warm-up (see <see cref="Scenario.MinHealthy"/>) is over, so the first live fault is judged against baselines.
    /// </summary>
    public TimeSpan Backfill { get; init; } = TimeSpan.FromMinutes(90);

    /// <summary>How often the live phase advances simulated time to the wall clock. Default 1 s.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the live phase exports the spans and logs produced since the last export. Default 2 s.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Simulated time between two progress reports: <see cref="SimulationPhase.FastForward"/> during the backfill (at
    /// most one per simulated minute, the backfill's step), <see cref="SimulationPhase.Live"/> during the live phase.
    /// Default 10 min.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The clock of the live phase (and of where the backfill ends). Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The faults scheduled so far.</summary>
    public IReadOnlyList<ScheduledFault> Faults => _faults;

    /// <summary>Schedules <paramref name="fault"/> <paramref name="after"/> the live phase starts, for <paramref name="duration"/> (null: until the end).</summary>
    public DemoScript Inject(FaultSpec fault, TimeSpan after, TimeSpan? duration = null)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (after < TimeSpan.Zero || duration <= TimeSpan.Zero)
        {
            throw new ArgumentException("a fault starts at or after the live phase starts and lasts a positive time");
        }

        _faults.Add(new ScheduledFault(fault, after, duration));
        return this;
    }

    /// <summary>
    /// Runs the backfill, then the live phase for <paramref name="duration"/> (null: until cancelled), and returns
    /// what was sent. Throws <see cref="SimulationException"/> when the server keeps refusing the telemetry.
    /// </summary>
    public async Task<SimulationStats> RunAsync(TimeSpan? duration, IProgress<SimulationProgress>? progress, CancellationToken cancellationToken)
    {
        if (Backfill < TimeSpan.Zero || Tick <= TimeSpan.Zero || FlushInterval <= TimeSpan.Zero || ProgressInterval <= TimeSpan.Zero || duration < TimeSpan.Zero)
        {
            throw new ArgumentException("backfill must not be negative; tick, flush interval, progress interval and duration must be positive");
        }

        var liveStart = ScenarioRunner.ToUnixNano(Time.GetUtcNow());
        var start = liveStart - (Backfill.Ticks * 100);
        using var simulation = new Simulation.Simulation(_options, _topology, Seed, start, progress, cancellationToken);
        try
        {
            // Backfill: a simulated minute at a time, flushed before the next, as a scenario runs.
            var step = ScenarioRunner.FlushInterval.Ticks * 100;
            var reported = start;
            progress?.Report(simulation.Progress(SimulationPhase.FastForward, $"backfilling {Backfill.TotalMinutes:0} minutes of healthy history"));
            for (var t = start; t < liveStart;)
            {
                t = Math.Min(liveStart, t + step);
                await simulation.AdvanceToAsync(t, cancellationToken).ConfigureAwait(false);
                Flush(simulation);
                if (t - reported >= ProgressInterval.Ticks * 100)
                {
                    reported = t;
                    progress?.Report(simulation.Progress(SimulationPhase.FastForward, "backfilling healthy history"));
                }
            }

            // The backfill took a while of wall-clock time, which the first live step catches up on; faults are
            // placed from now, so "after 15 s" means 15 s after the live phase has begun, however long the backfill took.
            var liveBegins = ScenarioRunner.ToUnixNano(Time.GetUtcNow());
            foreach (var f in _faults)
            {
                var at = liveBegins + (f.After.Ticks * 100);
                simulation.AddFault(f.Fault, at, f.Duration is { } d ? at + (d.Ticks * 100) : null);
            }

            progress?.Report(simulation.Progress(SimulationPhase.Live, "live: simulated time now follows the wall clock"));
            var liveFrom = Time.GetTimestamp();
            var lastFlush = Time.GetTimestamp();
            var reportedLive = simulation.Now;
            while (duration is null || Time.GetElapsedTime(liveFrom) < duration.Value)
            {
                await Task.Delay(Tick, Time, cancellationToken).ConfigureAwait(false);
                await simulation.AdvanceToAsync(ScenarioRunner.ToUnixNano(Time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
                if (Time.GetElapsedTime(lastFlush) >= FlushInterval)
                {
                    Flush(simulation);
                    lastFlush = Time.GetTimestamp();
                }

                if (simulation.Now - reportedLive >= ProgressInterval.Ticks * 100)
                {
                    reportedLive = simulation.Now;
                    progress?.Report(simulation.Progress(SimulationPhase.Live, "live"));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is how a demo ends: what was produced is still flushed below.
        }

        // After a cancellation refused exports are no longer retried: what is lost shows in the statistics' ExportFailures.
        Flush(simulation, strict: !cancellationToken.IsCancellationRequested);
        simulation.Dispose();
        progress?.Report(simulation.Progress(SimulationPhase.Completed, "stopped"));
        return simulation.Stats();
    }

    private static void Flush(Simulation.Simulation simulation, bool strict = true)
    {
        if ((!simulation.Flush() || simulation.Exports.Failures > 0) && strict)
        {
            throw new SimulationException($"telemetry was lost: {simulation.Exports.LastFailure ?? "an export did not finish within its timeout"}");
        }
    }
}
