using Autopilot.Pipeline.Stages;

namespace Autopilot.Pipeline;

/// <summary>Stops a running graph from outside: gracefully or by failing it.</summary>
public sealed class KillSwitch
{
    private readonly MaterializationContext _context;

    internal KillSwitch(MaterializationContext context) => _context = context;

    /// <summary>Sources stop taking input and complete; what is in flight flows through to the sinks.</summary>
    public void Shutdown() => _context.Shutdown();

    /// <summary>Fails the graph at once with <paramref name="error"/>; in-flight elements are abandoned.</summary>
    public void Abort(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        _context.Fail(error);
    }
}
