namespace Autopilot.Host.Demo;

/// <summary>
/// A host lifetime that leaves signals to the caller: the demo's server must not stop on Ctrl+C by itself (as the
/// console lifetime would), because the simulated shop is still flushing its telemetry into it. The demo stops the
/// shop first, then the server.
/// </summary>
internal sealed class CallerLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
