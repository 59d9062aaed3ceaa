using System.Text.Json.Serialization;

namespace Autopilot.Ingest.Receivers;

/// <summary>Options of the ingest edge. Every default lives here.</summary>
public sealed class IngestOptions
{
    /// <summary>
    /// Directory for the write-ahead log (<c>wal/</c>) and the asset inventory (<c>inventory.db</c>). Not a key of
    /// its own in the configuration file: the server's top-level <c>dataDirectory</c> sets it.
    /// </summary>
    [JsonIgnore]
    public string DataDirectory { get; set; } = "./data";

    /// <summary>Largest request body accepted, before and after decompression. Default 16 MiB, as the Collector's.</summary>
    public int MaxRequestBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Requests accepted into the log but not yet processed, at most; past it requests are refused with a retry hint.</summary>
    public int QueueCapacity { get; set; } = 512;

    /// <summary>
    /// Requests decoded and logged at once, at most. Decoding is where a request's memory goes (several
    /// times its size), so a request whose body has been read waits up to <see cref="AdmissionWait"/>
    /// for a slot and is then refused with RESOURCE_EXHAUSTED / 429 rather than decoded. Bodies are read
    /// first because an unread HTTP/2 body would hold its connection's flow-control window. Default 4
    /// per core, at least 8.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>
    /// Bytes of request bodies (as read, and decompressed) all receivers hold in memory at once, at most. Bodies are
    /// read before a request waits for a decode slot, so this is what bounds their memory however many streams and
    /// connections clients open: a body that would go past it is refused with RESOURCE_EXHAUSTED / 429 and a retry
    /// hint, before the rest of it is read; a single request up to <see cref="MaxRequestBytes"/> is always let through
    /// when nothing else is held. Counted in pooled arrays' sizes (a power of two at least the body's). Default 256 MiB.
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>How long a request may wait for a free slot before it is refused. Default 1 s.</summary>
    public TimeSpan AdmissionWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bearer tokens valid for everything (the admin role), for callers that build options in code; the server's
    /// <c>auth.tokens</c> gives tokens roles. Empty here and there means no authentication.
    /// </summary>
    [JsonIgnore]
    public IList<string> BearerTokens { get; } = [];

    /// <summary>What a refused client is told to wait before retrying.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest write-ahead log on disk (the size cap); past it requests get UNAVAILABLE / 503.</summary>
    public long WalMaxBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Segment size of the write-ahead log.</summary>
    public long WalSegmentBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Whether the log fsyncs before a request is acknowledged. Turn off only for benchmarks of everything else.</summary>
    public bool WalFsync { get; set; } = true;

    /// <summary>URN aliases: other identifiers (as URNs) mapped to the one URN they stand for.</summary>
    public IDictionary<string, string> UrnAliases { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            throw new ArgumentException("dataDirectory must not be empty.");
        }

        if (MaxRequestBytes < 1024)
        {
            throw new ArgumentException($"ingest.maxRequestBytes must be at least 1024, got {MaxRequestBytes}.");
        }

        if (QueueCapacity < 1)
        {
            throw new ArgumentException($"ingest.queueCapacity must be at least 1, got {QueueCapacity}.");
        }

        if (MaxConcurrentRequests < 1)
        {
            throw new ArgumentException($"ingest.maxConcurrentRequests must be at least 1, got {MaxConcurrentRequests}.");
        }

        if (MaxBufferedBytes < MaxRequestBytes)
        {
            throw new ArgumentException($"ingest.maxBufferedBytes must be at least ingest.maxRequestBytes ({MaxRequestBytes}), got {MaxBufferedBytes}.");
        }

        if (AdmissionWait < TimeSpan.Zero)
        {
            throw new ArgumentException("ingest.admissionWait must not be negative.");
        }

        if (RetryAfter <= TimeSpan.Zero)
        {
            throw new ArgumentException("ingest.retryAfter must be positive.");
        }

        if (WalMaxBytes < WalSegmentBytes)
        {
            throw new ArgumentException($"ingest.walMaxBytes ({WalMaxBytes}) must be at least one segment ({WalSegmentBytes}).");
        }
    }
}
