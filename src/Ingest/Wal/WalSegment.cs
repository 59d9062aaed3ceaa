namespace Autopilot.Ingest.Wal;

/// <summary>One segment file. <see cref="Length"/> is its durable length; mutated only under the log's lock.</summary>
internal sealed class WalSegment(long firstLsn, string path, long length)
{
    public long FirstLsn { get; } = firstLsn;

    public string Path { get; } = path;

    public long Length { get; set; } = length;
}
