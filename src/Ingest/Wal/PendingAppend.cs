using System.Buffers;

namespace Autopilot.Ingest.Wal;

/// <summary>A framed record waiting in the group-commit queue, and the appender waiting for it.</summary>
internal sealed class PendingAppend(byte[] buffer, int length)
{
    // Continuations run off the writer thread, so a slow appender never delays the next group.
    private readonly TaskCompletionSource<long> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Pooled array holding header + payload; null once the append is settled and the array returned.</summary>
    public byte[]? Buffer { get; private set; } = buffer;

    public int Length { get; } = length;

    public long Lsn { get; set; }

    public Task<long> Task => _completion.Task;

    public void Succeed()
    {
        Release();
        _completion.TrySetResult(Lsn);
    }

    public void Fail(Exception exception)
    {
        if (Buffer is null)
        {
            return;
        }

        Release();
        _completion.TrySetException(exception);
    }

    public void Release()
    {
        if (Buffer is { } array)
        {
            Buffer = null;
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
