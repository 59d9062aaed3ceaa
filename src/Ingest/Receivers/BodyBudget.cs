namespace Autopilot.Ingest.Receivers;

/// <summary>
/// The bytes of request bodies all receivers may hold in memory at once (<see cref="IngestOptions.MaxBufferedBytes"/>):
/// every <see cref="RequestBuffer"/> a receiver reads a body into, or decompresses one into, takes its array's size from
/// here as it grows and gives it back when disposed. Bodies are read before a request waits for a decode slot, so
/// without this, memory would be bounded only by how many streams and connections clients open. A buffer that would go
/// past the budget is refused with <see cref="ExceededException"/> (the receiver answers RESOURCE_EXHAUSTED / 429 with a
/// retry hint), except when nothing else is held: a single request up to the size cap always gets through. Thread-safe.
/// </summary>
internal sealed class BodyBudget
{
    private long _used;

    public BodyBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public long Capacity { get; }

    /// <summary>Bytes held now.</summary>
    public long Used => Volatile.Read(ref _used);

    /// <summary>Takes <paramref name="bytes"/>, or throws <see cref="ExceededException"/> when that would go past the budget while other bodies are held.</summary>
    public void Take(long bytes)
    {
        var after = Interlocked.Add(ref _used, bytes);
        if (after > Capacity && after != bytes)
        {
            Interlocked.Add(ref _used, -bytes);
            throw new ExceededException($"request bodies held in memory would exceed ingest.maxBufferedBytes ({Capacity} bytes); retry later");
        }
    }

    public void Return(long bytes) => Interlocked.Add(ref _used, -bytes);

    /// <summary>A body did not fit the budget.</summary>
    public sealed class ExceededException(string message) : Exception(message);
}
