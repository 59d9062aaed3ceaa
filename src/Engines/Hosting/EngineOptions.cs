using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Contracts;
using Autopilot.Engines.Drift;
using Autopilot.Engines.Freshness;
using Autopilot.Engines.Quality;
using Autopilot.Engines.Volume;

namespace Autopilot.Engines.Hosting;

/// <summary>Options of the engine host and every engine. Every default lives here or in the engine's own options.</summary>
public sealed class EngineOptions
{
    /// <summary>
    /// Number of shards (parallel partitions by URN). Snapshots are per shard index, so changing it
    /// makes the engines start from empty state (they re-learn). Default 4.
    /// </summary>
    public int Shards { get; set; } = 4;

    /// <summary>How often a shard writes its state (processing time, at the next log barrier). Default 10 s.</summary>
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the upstream tells every shard how far the log has reached (barriers). Default 1 s.</summary>
    public TimeSpan BarrierInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How far behind the largest event time seen the watermark stays. Default 5 s.</summary>
    public TimeSpan AllowedLateness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Event times further than this ahead of the wall clock are clamped to it, so one skewed clock cannot close every window. Default 5 min.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Findings within this much event time of an incident's last one may join it. Default 15 min.</summary>
    public TimeSpan CorrelationWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>An incident with no new finding for this much event time is resolved. Default 30 min.</summary>
    public TimeSpan ResolveAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Incidents resolved longer ago than this (event time, behind the latest finding) are deleted from the engine store
    /// with their timelines and findings, once an hour of event time; open incidents and their findings stay however old
    /// they are. Default 400 days, as the asset graph keeps its history (graph.retention), so an incident can be explained
    /// for as long as it is kept. At most 36500 days.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(400);

    /// <summary>
    /// An incident leaving as a CloudEvent (events file, webhook, GET /api/events, gRPC WatchIncidents) carries at most this
    /// many of its finding ids and of its timeline entries, the latest ones; the event's findingcount and timelinecount
    /// attributes give its totals, and GET /api/incidents/{id} the whole incident. Keeps each event's size bounded: an
    /// incident that goes on for hours would otherwise send every finding it gathered again with each change. Default 100; 0 sends none.
    /// </summary>
    public int IncidentEventItems { get; set; } = 100;

    /// <summary>
    /// At the end of the stream, move each shard's watermark past its last event by
    /// <see cref="FinalWatermarkSlack"/> so the last windows close (replay of recorded files). Off for the
    /// server, whose stream only ends at shutdown and continues after the restart.
    /// </summary>
    public bool FlushOnComplete { get; set; }

    /// <summary>How far past the last event the final watermark goes with <see cref="FlushOnComplete"/>. Default 5 min.</summary>
    public TimeSpan FinalWatermarkSlack { get; set; } = TimeSpan.FromMinutes(5);

    public FreshnessOptions Freshness { get; } = new();

    public VolumeOptions Volume { get; } = new();

    public DriftOptions Drift { get; } = new();

    public DataQualityOptions DataQuality { get; } = new();

    public AnomalyOptions Anomaly { get; } = new();

    public ContractOptions Contract { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Shards is < 1 or > 1024)
        {
            throw new ArgumentException($"engines.shards must be between 1 and 1024, got {Shards}.");
        }

        if (SnapshotInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("engines.snapshotInterval must be positive.");
        }

        if (BarrierInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("engines.barrierInterval must be positive.");
        }

        if (AllowedLateness < TimeSpan.Zero)
        {
            throw new ArgumentException("engines.allowedLateness must not be negative.");
        }

        if (CorrelationWindow <= TimeSpan.Zero || ResolveAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException("engines.correlationWindow and engines.resolveAfter must be positive.");
        }

        if (Retention <= TimeSpan.Zero || Retention > TimeSpan.FromDays(36_500))
        {
            throw new ArgumentException($"engines.retention must be positive and at most 36500 days, got {Retention}.");
        }

        if (IncidentEventItems is < 0 or > 100_000)
        {
            throw new ArgumentException($"engines.incidentEventItems must be between 0 and 100000, got {IncidentEventItems}.");
        }

        Freshness.Validate();
        Volume.Validate();
        Drift.Validate();
        DataQuality.Validate();
        Anomaly.Validate();
        Contract.Validate();
    }
}
