namespace Autopilot.Simulator.Tests.TestSupport;

internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
