namespace Autopilot.Pipeline.Tests;

public sealed class BackpressureTests
{
    /// <summary>64 bytes, so an unbounded buffer of 10 M elements would need 640 MB.</summary>
    private readonly record struct Wide(long A, long B, long C, long D, long E, long F, long G, long H);

    [Fact]
    public async Task SlowSink_TenMillionThroughA1kBuffer_StaysUnder32MiBOfHeapGrowth()
    {
        const long count = 10_000_000;
        const long boundBytes = 32L * 1024 * 1024;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        long peak = 0;
        long received = 0;

        var handle = Source.Range(0, count)
            .Select(x => new Wide(x, x, x, x, x, x, x, x))
            .Async(capacity: 1024)
            .To(Sink.ForEachBatch<Wide>(async (batch, ct) =>
            {
                received += batch.Length;
                // Slow sink: it yields to the scheduler every batch and sleeps now and then, so the
                // producer is always ahead and must be held back by the 1k buffer.
                if (received % (1 << 20) < batch.Length)
                {
                    await Task.Delay(10, ct);
                    peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
                }
                else
                {
                    await Task.Yield();
                }
            }))
            .Run(new PipelineSettings { Name = "backpressure-test" });

        using var sampler = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!sampler.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false) - baseline);
                await Task.Delay(5);
            }
        });

        await Eventually.WithinAsync(handle.Completion, timeoutSeconds: 300);
        await sampler.CancelAsync();
        await sampling;

        Assert.Equal(count, received);
        Assert.True(peak < boundBytes, $"heap grew by {peak / 1024 / 1024} MiB, bound is {boundBytes / 1024 / 1024} MiB");
    }

    [Fact]
    public async Task BlockedSink_HoldsTheProducerAtBufferCapacity()
    {
        using var gate = new SemaphoreSlim(0);
        long produced = 0;
        var handle = Source.Range(0, 1_000_000)
            .Select(x =>
            {
                Interlocked.Increment(ref produced);
                return x;
            })
            .Async(capacity: 1024)
            .To(Sink.ForEachBatch<long>(async (_, ct) => await gate.WaitAsync(ct)))
            .Run(new PipelineSettings { MaxBatchSize = 256 });

        // The sink holds one batch; the buffer takes 1024; the producer fills one more batch and blocks.
        await Eventually.TrueAsync(() => Interlocked.Read(ref produced) >= 1024, "producer fills the buffer");
        await Task.Delay(200);
        var stalled = Interlocked.Read(ref produced);
        Assert.InRange(stalled, 1024, 1024 + (3 * 256));

        gate.Release(int.MaxValue / 2);
        await Eventually.WithinAsync(handle.Completion);
        Assert.Equal(1_000_000, Interlocked.Read(ref produced));
    }
}
