using System.Collections.Concurrent;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Ingest.Tests.Receivers;

public sealed class LsnSequencerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public async Task EnterAsync_ArrivingInAnyOrder_EntersInLogOrder(int count)
    {
        var sequencer = new LsnSequencer(next: 100);
        var entered = new ConcurrentQueue<long>();
        var lsns = Enumerable.Range(100, count).Select(i => (long)i).OrderBy(_ => Random.Shared.Next()).ToList();
        await Task.WhenAll(lsns.Select(lsn => Task.Run(() => sequencer.EnterAsync(lsn, async () =>
        {
            await Task.Yield();
            entered.Enqueue(lsn);
        }))));

        Assert.Equal(Enumerable.Range(100, count).Select(i => (long)i), entered);
    }

    [Fact]
    public async Task EnterAsync_WaitsForTheMissingPredecessor()
    {
        var sequencer = new LsnSequencer(next: 0);
        var second = sequencer.EnterAsync(1, () => Task.CompletedTask);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        await sequencer.EnterAsync(0, () => Task.CompletedTask);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EnterAsync_SamePositionTwice_Throws()
    {
        var sequencer = new LsnSequencer(next: 0);
        await sequencer.EnterAsync(0, () => Task.CompletedTask);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sequencer.EnterAsync(0, () => Task.CompletedTask));
    }
}
