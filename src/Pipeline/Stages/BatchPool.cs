using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Recycles batches between the writer and the reader of one boundary. The number of batches alive is
/// bounded by the boundary (channel slots + one per writer + one being read), so after warm-up renting
/// allocates nothing.
/// </summary>
internal sealed class BatchPool<T>
{
    private readonly ConcurrentQueue<Batch<T>> _free = new();
    private readonly int _batchCapacity;
    private readonly int _maxRetained;

    public BatchPool(int batchCapacity, int maxRetained)
    {
        _batchCapacity = batchCapacity;
        _maxRetained = maxRetained;
    }

    public Batch<T> Rent()
    {
        if (_free.TryDequeue(out var batch))
        {
            return batch;
        }

        return new Batch<T>(_batchCapacity);
    }

    public void Return(Batch<T> batch)
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(batch.Items, 0, batch.Count);
        }

        batch.Count = 0;
        batch.Watermark = long.MinValue;
        if (_free.Count < _maxRetained)
        {
            _free.Enqueue(batch);
        }
    }
}
