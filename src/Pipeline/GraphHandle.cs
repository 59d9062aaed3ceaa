namespace Autopilot.Pipeline;

/// <summary>A running graph: its materialized value, its completion and its kill switch.</summary>
public sealed class GraphHandle<TMat>
{
    internal GraphHandle(TMat materialized, Task completion, KillSwitch killSwitch)
    {
        Materialized = materialized;
        Completion = completion;
        KillSwitch = killSwitch;
    }

    /// <summary>What the sink materialized (e.g. the task of an aggregate).</summary>
    public TMat Materialized { get; }

    /// <summary>Completes when every stage has finished; faults with the first failure.</summary>
    public Task Completion { get; }

    public KillSwitch KillSwitch { get; }

    /// <summary>
    /// Graceful drain: stops the sources and waits for in-flight elements to reach the sinks. When
    /// <paramref name="deadline"/> passes first, aborts the graph and returns false.
    /// </summary>
    public async Task<bool> DrainAsync(TimeSpan deadline, TimeProvider? timeProvider = null)
    {
        KillSwitch.Shutdown();
        try
        {
            await Completion.WaitAsync(deadline, timeProvider ?? TimeProvider.System);
            return true;
        }
        catch (TimeoutException)
        {
            KillSwitch.Abort(new TimeoutException($"The graph did not drain within {deadline}."));
            return false;
        }
    }
}
