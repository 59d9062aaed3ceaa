using System.Diagnostics;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator;

/// <summary>
/// Runs a <see cref="Scenario"/> against a server as fast as the server takes it: simulated time advances a minute
/// at a time, and each minute's spans and logs are exported (all services in parallel) before the next minute is
/// simulated, so event time reaches the server in order and no window closes before its data has arrived.
/// </summary>
public static class ScenarioRunner
{
    /// <summary>How much simulated time is produced between two flushes of the services' spans and logs.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Runs <paramref name="scenario"/> on <paramref name="topology"/> (default: <see cref="ShopTopology.Default"/>)
    /// and returns what was sent once everything has been acknowledged by the server.
    /// </summary>
    /// <exception cref="SimulationException">An export was given up (the server kept refusing or failing it).</exception>
    public static async Task<ScenarioResult> RunAsync(Scenario scenario, SimulatorOptions options, ShopTopology? topology = null, IProgress<SimulationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var started = Stopwatch.GetTimestamp();
        var start = ToUnixNano(scenario.Start);
        var end = ToUnixNano(scenario.End);
        using var simulation = new Simulation.Simulation(options, topology ?? ShopTopology.Default(), scenario.Seed, start, progress, cancellationToken);
        simulation.AddFault(scenario.Fault, ToUnixNano(scenario.Onset), null);
        var step = FlushInterval.Ticks * 100;
        var reported = start;
        for (var t = start; t < end;)
        {
            t = Math.Min(end, t + step);
            await simulation.AdvanceToAsync(t, cancellationToken).ConfigureAwait(false);
            var flushed = simulation.Flush();
            if (!flushed || simulation.Exports.Failures > 0)
            {
                throw new SimulationException($"telemetry was lost at {DateTimeOffset.UnixEpoch.AddTicks(t / 100):O}: {simulation.Exports.LastFailure ?? "an export did not finish within its timeout"}");
            }

            if (t - reported >= TimeSpan.FromMinutes(10).Ticks * 100)
            {
                reported = t;
                progress?.Report(simulation.Progress(SimulationPhase.FastForward, "simulating"));
            }
        }

        var hash = simulation.ContentHash;
        simulation.Dispose();

        // Disposing exports each service's last metric collection once more (the SDK collects on shutdown).
        var final = simulation.Stats();
        if (final.ExportFailures > 0)
        {
            throw new SimulationException($"telemetry was lost at shutdown: {final.LastExportFailure}");
        }

        progress?.Report(simulation.Progress(SimulationPhase.Completed, "done"));
        return new ScenarioResult(scenario, final, hash, Stopwatch.GetElapsedTime(started));
    }

    internal static long ToUnixNano(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;
}
