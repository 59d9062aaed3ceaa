namespace Autopilot.Pipeline.Tests;

public sealed class OverflowTests
{
    private const int Count = 20_000;
    private const int Capacity = 1024;
    private const int Batch = 128;

    /// <summary>
    /// Runs Count elements into an async boundary whose sink is blocked until the producer has finished,
    /// so everything beyond the buffer meets the overflow strategy.
    /// </summary>
    private static async Task<(List<long> Received, MetricsRecorder Metrics, Task Completion)> RunBlockedAsync(OverflowStrategy overflow, string graph)
    {
        var metrics = new MetricsRecorder(graph);
        using var producerDone = new SemaphoreSlim(0);
        var received = new List<long>();
        long produced = 0;
        var handle = Source.Range(0, Count)
            .Select(x =>
            {
                if (Interlocked.Increment(ref produced) == Count)
                {
                    producerDone.Release();
                }

                return x;
            })
            .Async(Capacity, overflow)
            .Named("buffer")
            .To(Sink.ForEachBatch<long>(async (batch, ct) =>
            {
                if (received.Count == 0)
                {
                    // With backpressure the producer can never finish while the sink holds: wait a moment instead.
                    await producerDone.WaitAsync(overflow == OverflowStrategy.Backpressure ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(30), ct);
                }

                received.AddRange(batch.ToArray());
            }))
            .Run(new PipelineSettings { MaxBatchSize = Batch, Name = graph });

        try
        {
            await Eventually.WithinAsync(handle.Completion);
        }
        catch (BufferOverflowException)
        {
        }

        return (received, metrics, handle.Completion);
    }

    [Fact]
    public async Task Backpressure_LosesNothing()
    {
        var (received, metrics, completion) = await RunBlockedAsync(OverflowStrategy.Backpressure, "overflow-bp");
        using (metrics)
        {
            Assert.True(completion.IsCompletedSuccessfully);
            Assert.Equal(Enumerable.Range(0, Count).Select(x => (long)x), received);
            Assert.Equal(0, metrics.Sum("autopilot.pipeline.elements.dropped"));
        }
    }

    [Fact]
    public async Task DropNewest_KeepsTheOldest_AndCountsTheDropped()
    {
        var (received, metrics, completion) = await RunBlockedAsync(OverflowStrategy.DropNewest, "overflow-dropnewest");
        using (metrics)
        {
            Assert.True(completion.IsCompletedSuccessfully);
            Assert.InRange(received.Count, Capacity - Batch, Capacity + (2 * Batch));

            // What filled the buffer first is kept: at least the first Capacity - Batch elements, in order.
            // (When the reader takes its first batch late, the slot it frees admits a later batch, so the
            // whole result need not be a prefix; it is always in order.)
            Assert.Equal(Enumerable.Range(0, Capacity - Batch).Select(x => (long)x), received.Take(Capacity - Batch));
            Assert.True(received.Zip(received.Skip(1)).All(p => p.First < p.Second), "elements arrived out of order");
            Assert.Equal(Count - received.Count, metrics.Sum("autopilot.pipeline.elements.dropped", stage: "buffer", reason: "buffer_full"));
        }
    }

    [Fact]
    public async Task DropOldest_KeepsTheNewest_AndCountsTheDropped()
    {
        var (received, metrics, completion) = await RunBlockedAsync(OverflowStrategy.DropOldest, "overflow-dropoldest");
        using (metrics)
        {
            Assert.True(completion.IsCompletedSuccessfully);
            // The buffer holds Capacity / Batch batches; the last batch of the input is partial, so fewer elements may fit.
            Assert.InRange(received.Count, Capacity - Batch, Capacity + (2 * Batch));
            Assert.Equal(Count - 1, received[^1]);
            var tail = received.Skip(received.Count - (Capacity - Batch)).ToList();
            Assert.Equal(Enumerable.Range(Count - (Capacity - Batch), Capacity - Batch).Select(x => (long)x), tail);
            Assert.Equal(Count - received.Count, metrics.Sum("autopilot.pipeline.elements.dropped", stage: "buffer", reason: "buffer_full"));
        }
    }

    [Fact]
    public async Task Fail_FailsTheGraphWithBufferOverflow()
    {
        var (_, metrics, completion) = await RunBlockedAsync(OverflowStrategy.Fail, "overflow-fail");
        using (metrics)
        {
            Assert.True(completion.IsFaulted);
            var error = Assert.IsType<BufferOverflowException>(completion.Exception!.InnerException);
            Assert.Contains("'buffer'", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Queue_DropNewest_ReportsDropped()
    {
        var queue = new SourceQueue<int>(2, OverflowStrategy.DropNewest);
        Assert.Equal(QueueOfferResult.Enqueued, queue.TryOffer(1));
        Assert.Equal(QueueOfferResult.Enqueued, queue.TryOffer(2));
        Assert.Equal(QueueOfferResult.Dropped, await queue.OfferAsync(3));
        queue.Complete();
        Assert.Equal([1, 2], await Source.FromQueue(queue).RunWith(Sink.Seq<int>()));
    }

    [Fact]
    public async Task Queue_DropOldest_EvictsTheOldest()
    {
        var queue = new SourceQueue<int>(2, OverflowStrategy.DropOldest);
        for (var i = 1; i <= 5; i++)
        {
            Assert.Equal(QueueOfferResult.Enqueued, queue.TryOffer(i));
        }

        queue.Complete();
        Assert.Equal([4, 5], await Source.FromQueue(queue).RunWith(Sink.Seq<int>()));
    }

    [Fact]
    public async Task Queue_Fail_ReportsFailureAndFailsTheStream()
    {
        var queue = new SourceQueue<int>(1, OverflowStrategy.Fail);
        Assert.Equal(QueueOfferResult.Enqueued, queue.TryOffer(1));
        Assert.Equal(QueueOfferResult.Failure, queue.TryOffer(2));
        Assert.Equal(QueueOfferResult.QueueClosed, queue.TryOffer(3));
        var handle = Source.FromQueue(queue).To(Sink.Seq<int>()).Run();
        await Assert.ThrowsAsync<BufferOverflowException>(() => Eventually.WithinAsync(handle.Completion));
        await Assert.ThrowsAsync<BufferOverflowException>(() => handle.Materialized);
    }

    [Fact]
    public async Task Queue_Backpressure_OfferWaitsForRoom()
    {
        var queue = new SourceQueue<int>(1);
        Assert.Equal(QueueOfferResult.Enqueued, queue.TryOffer(1));
        var pending = queue.OfferAsync(2).AsTask();
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        Assert.Equal(QueueOfferResult.Dropped, queue.TryOffer(9));
        var handle = Source.FromQueue(queue).To(Sink.Seq<int>()).Run();
        Assert.Equal(QueueOfferResult.Enqueued, await Eventually.WithinAsync(pending));
        queue.Complete();
        Assert.Equal([1, 2], await handle.Materialized);
    }
}
