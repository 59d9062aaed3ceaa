using Autopilot.Ingest.Receivers;
using Autopilot.Ingest.Wal;

namespace Autopilot.Ingest.Tests.Receivers;

public sealed class RequestBufferTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(10_000)]
    public void GetSpanAndAdvance_GrowingPastTheFirstArray_KeepsReserveAndBody(int chunk)
    {
        using var buffer = RequestBuffer.Rent(16);
        var expected = new List<byte>();
        var random = new Random(chunk);
        while (expected.Count < 300_000)
        {
            var data = new byte[chunk];
            random.NextBytes(data);
            data.CopyTo(buffer.GetSpan(chunk));
            buffer.Advance(chunk);
            expected.AddRange(data);
        }

        Assert.Equal(expected.Count, buffer.Length);
        Assert.Equal(expected, buffer.Span.ToArray());
        var record = buffer.FrameRecord(9);
        Assert.Equal(RequestBuffer.Reserved + expected.Count, record.Length);
        Assert.Equal(9, record.Span[RecordFormat.HeaderSize]);
        Assert.Equal(expected, record.Span[RequestBuffer.Reserved..].ToArray());
    }

    [Fact]
    public void Advance_PastTheFreeSpace_Throws()
    {
        using var buffer = RequestBuffer.Rent(10);
        var free = buffer.GetSpan(1).Length;

        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(free + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Advance(-1));
    }

    [Fact]
    public void Dispose_Twice_IsHarmless_AndUseAfterwardsThrows()
    {
        var buffer = RequestBuffer.CopyOf([1, 2, 3]);
        buffer.Dispose();
        buffer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => buffer.Span.ToArray());
        Assert.Throws<ObjectDisposedException>(() => buffer.FrameRecord(1));
    }
}
