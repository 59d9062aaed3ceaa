using System.Buffers;

namespace Autopilot.Ingest.Wal;

/// <summary>A framed record waiting in the group-commit queue, and the appender waiting for it.</summary>
internal sealed class PendingAppend
{
    // Continuations run off the writer thread, so a slow appender never delays the next group.
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _pooled;
    private int _settled;

    /// <summary>A record the log framed into an array it rented; the array goes back to the pool once the append is settled.</summary>
    public PendingAppend(byte[] pooled, int length)
    {
        _pooled = pooled;
        Record = pooled.AsMemory(0, length);
    }

    /// <summary>A record framed in place by the appender, who keeps it unchanged until <see cref="Task"/> completes.</summary>
    public PendingAppend(ReadOnlyMemory<byte> borrowed) => Record = borrowed;

    /// <summary>Header + payload, as written to the segment.</summary>
    public ReadOnlyMemory<byte> Record { get; private set; }

    public int Length => Record.Length;

    public long Lsn { get; set; }

    public Task<long> Task => _completion.Task;

    public void Succeed()
    {
        if (Settle())
        {
            _completion.TrySetResult(Lsn);
        }
    }

    public void Fail(Exception exception)
    {
        if (Settle())
        {
            _completion.TrySetException(exception);
        }
    }

    /// <summary>Lets go of the record (before completing the appender, who may then reuse a borrowed array).</summary>
    public void Release()
    {
        Record = ReadOnlyMemory<byte>.Empty;
        if (Interlocked.Exchange(ref _pooled, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private bool Settle()
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return false;
        }

        Release();
        return true;
    }
}
