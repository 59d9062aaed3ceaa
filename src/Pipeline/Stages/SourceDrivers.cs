using System.Threading.Channels;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// The drivers at the head of a graph. Each pulls input into batches of up to <c>MaxBatchSize</c>, pushes
/// them down its segment, fires the segment's ticks, and stops taking input on shutdown.
/// </summary>
internal static class SourceDrivers
{
    public static Action<MaterializationContext, Inlet<T>> FromEnumerable<T>(IEnumerable<T> items) => (context, downstream) =>
    {
        var timer = context.TakeSegmentTimer();
        context.AddDriver(async () =>
        {
            var buffer = new T[context.MaxBatchSize];
            var n = 0;
            using (var e = items.GetEnumerator())
            {
                while (!context.ShutdownToken.IsCancellationRequested && e.MoveNext())
                {
                    buffer[n++] = e.Current;
                    if (n == buffer.Length)
                    {
                        await downstream.OnNextAsync(buffer);
                        n = 0;
                        if (context.AbortToken.IsCancellationRequested)
                        {
                            return;
                        }

                        if (timer.TryTake(out var now))
                        {
                            await downstream.OnTickAsync(now);
                        }
                    }
                }
            }

            if (n > 0)
            {
                await downstream.OnNextAsync(buffer.AsMemory(0, n));
            }

            await downstream.OnCompleteAsync();
        });
    };

    public static Action<MaterializationContext, Inlet<long>> Range(long start, long count) => (context, downstream) =>
    {
        var timer = context.TakeSegmentTimer();
        context.AddDriver(async () =>
        {
            var buffer = new long[context.MaxBatchSize];
            var next = start;
            var end = start + count;
            while (next < end && !context.ShutdownToken.IsCancellationRequested && !context.AbortToken.IsCancellationRequested)
            {
                var n = (int)Math.Min(buffer.Length, end - next);
                for (var i = 0; i < n; i++)
                {
                    buffer[i] = next + i;
                }

                next += n;
                await downstream.OnNextAsync(buffer.AsMemory(0, n));
                if (timer.TryTake(out var now))
                {
                    await downstream.OnTickAsync(now);
                }
            }

            await downstream.OnCompleteAsync();
        });
    };

    /// <summary>
    /// Reads a channel. With <paramref name="drainOnShutdown"/> false (a channel the caller owns) shutdown
    /// stops reading at once; with true (the graph's own queue) shutdown completes the queue and what is
    /// already in it is still processed.
    /// </summary>
    public static Action<MaterializationContext, Inlet<T>> FromChannel<T>(ChannelReader<T> reader, bool drainOnShutdown) => (context, downstream) =>
    {
        var timer = context.TakeSegmentTimer();
        context.AddDriver(async () =>
        {
            var buffer = new T[context.MaxBatchSize];
            using var stop = drainOnShutdown
                ? CancellationTokenSource.CreateLinkedTokenSource(context.AbortToken)
                : CancellationTokenSource.CreateLinkedTokenSource(context.AbortToken, context.ShutdownToken);
            while (true)
            {
                var n = 0;
                while (n < buffer.Length && reader.TryRead(out var item))
                {
                    buffer[n++] = item;
                }

                if (n > 0)
                {
                    await downstream.OnNextAsync(buffer.AsMemory(0, n));
                    if (timer.TryTake(out var now))
                    {
                        await downstream.OnTickAsync(now);
                    }

                    continue;
                }

                WaitResult result;
                try
                {
                    result = await ChannelWait.WaitAsync(reader, timer, context.Time, stop.Token);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    if (context.AbortToken.IsCancellationRequested)
                    {
                        return;
                    }

                    break;
                }

                if (result == WaitResult.Completed)
                {
                    break;
                }

                if (result == WaitResult.Tick && timer.TryTake(out var tickTime))
                {
                    await downstream.OnTickAsync(tickTime);
                }
            }

            await downstream.OnCompleteAsync();
        });
    };

    public static Action<MaterializationContext, Inlet<T>> FromAsyncEnumerable<T>(IAsyncEnumerable<T> items) => (context, downstream) =>
    {
        // A pump turns the sequence into a small channel, so the driver can wait for data or a tick at once.
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(context.MaxBatchSize) { SingleReader = true, SingleWriter = true });
        context.OnFailure(e => channel.Writer.TryComplete(e));
        context.AddDriver(async () =>
        {
            try
            {
                await foreach (var item in items.WithCancellation(context.ShutdownToken))
                {
                    await channel.Writer.WriteAsync(item, context.AbortToken);
                }

                channel.Writer.TryComplete();
            }
            catch (OperationCanceledException) when (context.ShutdownToken.IsCancellationRequested && !context.AbortToken.IsCancellationRequested)
            {
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
                throw;
            }
        });
        FromChannel(channel.Reader, drainOnShutdown: true)(context, downstream);
    };
}
