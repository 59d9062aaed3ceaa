namespace Autopilot.Host.Dashboard;

/// <summary>One file of the dashboard: its bytes, a gzip copy when that is smaller, its content type and strong ETag.</summary>
internal sealed record DashboardAsset(string Path, string ContentType, byte[] Content, byte[]? Gzip, string ETag);
