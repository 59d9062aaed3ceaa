using Autopilot.Simulator.Telemetry;
using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Simulation;

/// <summary>A service while the simulation runs: its current instance (telemetry), how much it served since the last metric tick, and what it has sent.</summary>
internal sealed class ServiceRun(ServiceSpec spec, string urn)
{
    public ServiceSpec Spec { get; } = spec;

    public string Urn { get; } = urn;

    public ServiceTelemetry Telemetry { get; set; } = null!;

    /// <summary>Instances started so far (a deploy starts a new one).</summary>
    public int Instances { get; set; }

    /// <summary>Requests and messages handled since the last metric tick (drives the CPU gauge).</summary>
    public long Served { get; set; }

    public long Spans { get; set; }

    public long Logs { get; set; }

    /// <summary>Metric points sent by instances already retired.</summary>
    public long RetiredMetricPoints { get; set; }

    public long MetricPoints => RetiredMetricPoints + Telemetry.MetricPointsSent;
}
