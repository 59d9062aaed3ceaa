using System.Diagnostics.Metrics;

namespace Autopilot.Engines.Hosting;

/// <summary>Counters of the engine host (meter <c>Autopilot.Engines</c>).</summary>
internal static class EngineMetrics
{
    private static readonly Meter s_meter = new("Autopilot.Engines");

    public static readonly Counter<long> Signals = s_meter.CreateCounter<long>("autopilot.engines.signals", "{signal}", "Signals processed by the engine shards.");

    public static readonly Counter<long> Findings = s_meter.CreateCounter<long>("autopilot.engines.findings", "{finding}", "Findings emitted, by engine and kind.");

    public static readonly Counter<long> Errors = s_meter.CreateCounter<long>("autopilot.engines.errors", "{error}", "Exceptions caught from an engine (the signal is skipped for that engine only).");

    public static readonly Counter<long> RankerFailures = s_meter.CreateCounter<long>("autopilot.engines.ranker.failures", "{failure}", "Times the suspect ranker threw and the onset-and-strength ranking answered instead.");

    public static readonly Counter<long> Evictions = s_meter.CreateCounter<long>("autopilot.engines.evictions", "{entry}", "State entries (series, services, URNs) an engine evicted to stay within its cap, by engine: a rising count means the cap is too small and the evicted entries never finish learning.");

    public static readonly Counter<long> Untracked = s_meter.CreateCounter<long>("autopilot.engines.untracked", "{signal}", "Signals an engine left unjudged because a cap on the series or URNs it tracks was reached (engines that do not evict), by engine.");

    public static readonly Counter<long> Deleted = s_meter.CreateCounter<long>("autopilot.engines.retention.deleted", "{row}", "Incidents and findings deleted from the engine store by engines.retention, by kind (incident, finding).");

    public static readonly Counter<long> RetentionFailures = s_meter.CreateCounter<long>("autopilot.engines.retention.failures", "{failure}", "Retention sweeps of the engine store that failed (tried again an hour of event time later).");

    public static readonly Counter<long> ContractReloads = s_meter.CreateCounter<long>("autopilot.engines.contract.reloads", "{reload}",
        "Reloads of the data contracts' directory (POST /-/reload, SIGHUP), by outcome: applied, or refused (a bad file or no directory; the contracts in force stay).");

    public static readonly Counter<long> Snapshots = s_meter.CreateCounter<long>("autopilot.engines.snapshots", "{snapshot}", "Shard snapshots written.");
}
