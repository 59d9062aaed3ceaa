namespace Autopilot.Host.Demo;

/// <summary>What the simulated shop sent over the whole demo (backfill and live).</summary>
internal sealed record DemoTraffic(long Requests, long FailedRequests, long Spans, long Logs, long MetricPoints, long LineageEvents, long ExportRequests, long ExportFailures);
