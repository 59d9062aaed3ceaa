using Autopilot.Ingest.Receivers;

namespace Autopilot.Ingest.Tests.Receivers;

/// <summary>The request-body budget: what buffers take and give back, and when a buffer is refused.</summary>
public sealed class BodyBudgetTests
{
    [Fact]
    public void Take_PastTheCapacityWhileOthersHold_Refused_AloneAlwaysLetThrough()
    {
        var budget = new BodyBudget(1000);
        budget.Take(600);
        var refused = Assert.Throws<BodyBudget.ExceededException>(() => budget.Take(500));
        Assert.Contains("ingest.maxBufferedBytes (1000 bytes)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(600, budget.Used);
        budget.Take(400);
        Assert.Equal(1000, budget.Used);
        budget.Return(1000);

        // Nothing held: a body larger than the whole budget still gets through, so one request can never be refused forever.
        budget.Take(5000);
        Assert.Equal(5000, budget.Used);
        Assert.Throws<BodyBudget.ExceededException>(() => budget.Take(1));
        budget.Return(5000);
        Assert.Equal(0, budget.Used);
    }

    [Fact]
    public void RequestBuffer_TakesItsArrayAndEveryGrowth_GivesAllBackWhenDisposed()
    {
        var budget = new BodyBudget(1 << 20);
        var buffer = RequestBuffer.Rent(10_000, budget);
        var first = budget.Used;
        Assert.InRange(first, 10_000 + RequestBuffer.Reserved, 32 * 1024);

        buffer.Advance(buffer.GetSpan(10_000).Length);
        buffer.GetSpan(100_000);
        Assert.InRange(budget.Used, 110_000, 256 * 1024);

        buffer.Dispose();
        Assert.Equal(0, budget.Used);
        buffer.Dispose();
        Assert.Equal(0, budget.Used);
    }

    [Fact]
    public void RequestBuffer_GrowthPastTheBudget_RefusedAndTheBufferKeepsWhatItHad()
    {
        var budget = new BodyBudget(64 * 1024);
        using var other = RequestBuffer.Rent(1000, budget);
        var buffer = RequestBuffer.Rent(1000, budget);
        var held = budget.Used;
        buffer.GetSpan(5)[0] = 42;
        buffer.Advance(5);

        Assert.Throws<BodyBudget.ExceededException>(() => buffer.GetSpan(200_000));
        Assert.Equal(held, budget.Used);
        Assert.Equal(42, buffer.Span[0]);
        buffer.Dispose();
        Assert.True(budget.Used < held);
    }

    [Fact]
    public void Rent_PastTheBudget_RefusedWithoutTakingAnything()
    {
        var budget = new BodyBudget(12 * 1024);
        using var held = RequestBuffer.Rent(8000, budget);
        var before = budget.Used;
        Assert.Throws<BodyBudget.ExceededException>(() => RequestBuffer.Rent(8000, budget));
        Assert.Equal(before, budget.Used);
    }
}
