namespace Autopilot.Host.Demo;

/// <summary>A ranked root cause of an RCA answer: the asset, its calibrated confidence and the first reason given.</summary>
internal sealed record DemoRootCause(string Urn, double Score, string? Reason);
