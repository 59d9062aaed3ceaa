using OpenTelemetry;
using OpenTelemetry.Logs;

namespace Autopilot.Simulator.Telemetry;

/// <summary>
/// Gives each log record the simulated time it was written at. Registered before the batch export processor, so
/// the record is stamped before it is buffered; the SDK would otherwise stamp the wall clock.
/// </summary>
internal sealed class SimulatedTimeLogProcessor(ServiceTelemetry owner) : BaseProcessor<LogRecord>
{
    public override void OnEnd(LogRecord data)
    {
        ArgumentNullException.ThrowIfNull(data);
        data.Timestamp = owner.LogTime;
    }
}
