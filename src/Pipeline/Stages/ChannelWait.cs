using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Autopilot.Pipeline.Stages;

internal enum WaitResult
{
    Data,
    Completed,
    Tick,
}

/// <summary>Waits for a channel to have data, to complete, or for the segment's next tick.</summary>
internal static class ChannelWait
{
    /// <summary>
    /// Call only after <c>TryRead</c> came back empty: the timed path allocates a timer, which is fine
    /// for an idle driver and kept off the hot path.
    /// Pooled builder: every reader that catches up with its writer waits here once per batch, so an
    /// unpooled state machine would be a steady-state allocation proportional to the stream.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<WaitResult> WaitAsync<TItem>(ChannelReader<TItem> reader, SegmentTimer timer, TimeProvider time, CancellationToken cancellationToken)
    {
        var due = timer.UntilDue();
        if (due is null)
        {
            return await reader.WaitToReadAsync(cancellationToken) ? WaitResult.Data : WaitResult.Completed;
        }

        if (due.Value == TimeSpan.Zero)
        {
            return WaitResult.Tick;
        }

        using var timeout = new CancellationTokenSource(due.Value, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await reader.WaitToReadAsync(linked.Token) ? WaitResult.Data : WaitResult.Completed;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return WaitResult.Tick;
        }
    }
}
