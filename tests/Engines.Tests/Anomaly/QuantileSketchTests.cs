using Autopilot.Engines.Anomaly;

namespace Autopilot.Engines.Tests.Anomaly;

public sealed class QuantileSketchTests
{
    [Fact]
    public void Quantile_AboveTheMedian_ScansDown_SameBucketAsScanningUp()
    {
        // Above the median Quantile counts down from the highest bucket; it must land where counting up lands, for
        // sketches with gaps, ties, one value, values out of range, and every rank near the ends. Dense from the first
        // value, so small sketches count too (a default one keeps its first values sparse, where neither scan runs).
        var random = new Random(20261207);
        double[] qs = [0, 0.001, 0.25, 0.5, 0.5001, 0.75, 0.9, 0.95, 0.99, 0.999, 1];
        for (var round = 0; round < 500; round++)
        {
            var sketch = new QuantileSketch(dense: true);
            var n = random.Next(1, 400);
            for (var i = 0; i < n; i++)
            {
                sketch.Add(random.Next(6) switch
                {
                    0 => 0,
                    1 => 1e9,
                    2 => 250,
                    _ => Math.Exp(random.NextDouble() * 12) / 100,
                });
            }

            foreach (var q in qs)
            {
                Assert.Equal(sketch.QuantileScanningUp(q), sketch.Quantile(q));
            }

            var k = random.NextDouble();
            Assert.Equal(sketch.QuantileScanningUp(k), sketch.Quantile(k));
        }
    }

    [Fact]
    public void Quantile_NearestRank_FromEitherEnd()
    {
        var sketch = new QuantileSketch();
        foreach (var v in new double[] { 1, 2, 3, 4, 100 })
        {
            sketch.Add(v);
        }

        // Nearest rank over 5 values: q 0.8 is the 4th (4 ms), anything above it the 5th (100 ms), each within the
        // sketch's 2 % of a true value; q 0 the smallest.
        Assert.Equal(4, sketch.Quantile(0.8), 0.02 * 4);
        Assert.Equal(100, sketch.Quantile(0.81), 0.02 * 100);
        Assert.Equal(100, sketch.Quantile(0.99), 0.02 * 100);
        Assert.Equal(1, sketch.Quantile(0), 0.02 * 1);
        Assert.True(double.IsNaN(new QuantileSketch().Quantile(0.99)));
    }

    [Fact]
    public void Sparse_GivesTheCountersQuantilesAndSnapshot_AtEverySize()
    {
        // The sparse form (bucket numbers inline) against a sketch counting in its counters from the first value: the same
        // quantiles, bounds and snapshot bytes at every size across the switch, for sketches reused after a reset (as the
        // engines' pools reuse them), and after a snapshot is read back into either form.
        var random = new Random(20261208);
        var reused = new QuantileSketch();
        var reusedDense = new QuantileSketch(dense: true);
        double[] qs = [0, 0.01, 0.25, 0.5, 0.5001, 0.9, 0.95, 0.99, 1];
        for (var round = 0; round < 300; round++)
        {
            var n = round < 100 ? round + 1 : random.Next(1, 3 * QuantileSketch.SparseCapacity);
            var fresh = new QuantileSketch();
            var dense = new QuantileSketch(dense: true);
            reused.Reset();
            reusedDense.Reset();
            for (var i = 0; i < n; i++)
            {
                var v = random.Next(5) switch { 0 => 0, 1 => 1e9, 2 => 250, _ => Math.Exp(random.NextDouble() * 12) / 100 };
                fresh.Add(v);
                dense.Add(v);
                reused.Add(v);
                reusedDense.Add(v);
            }

            Assert.Equal(n > QuantileSketch.SparseCapacity, fresh.IsDense);
            Assert.Equal(n > QuantileSketch.SparseCapacity, reused.IsDense);
            Assert.True(dense.IsDense);
            var expected = Snapshot(dense);
            foreach (var sketch in new[] { fresh, reused, reusedDense, Read(expected, new QuantileSketch()), Read(expected, new QuantileSketch(dense: true)) })
            {
                Assert.Equal(dense.Count, sketch.Count);
                Assert.Equal(dense.Min, sketch.Min);
                Assert.Equal(dense.Max, sketch.Max);
                foreach (var q in qs)
                {
                    Assert.Equal(dense.Quantile(q), sketch.Quantile(q));
                }

                Assert.Equal(expected, Snapshot(sketch));
            }
        }
    }

    [Fact]
    public void Sparse_UpToItsCapacity_DenseAfter_SparseAgainWhenReset()
    {
        var sketch = new QuantileSketch();
        for (var i = 1; i <= QuantileSketch.SparseCapacity; i++)
        {
            sketch.Add(i);
        }

        Assert.False(sketch.IsDense);
        sketch.Add(1_000);
        Assert.True(sketch.IsDense);
        Assert.Equal(1_000, sketch.Quantile(1), 0.02 * 1_000);
        Assert.Equal(25, sketch.Quantile(0.5), 0.02 * 25);

        sketch.Reset();
        Assert.False(sketch.IsDense);
        Assert.Equal(0, sketch.Count);
        sketch.Add(7);
        Assert.Equal(7, sketch.Quantile(0.99), 0.02 * 7); // the counters were cleared: nothing of the last window is left
        Assert.Equal(7, sketch.Quantile(0), 0.02 * 7);
    }

    [Fact]
    public void Read_RefusesBucketsThatDoNotAddUpToTheCount()
    {
        var sketch = new QuantileSketch();
        sketch.Add(3);
        sketch.Add(5);
        var bytes = Snapshot(sketch);

        // The count says 3, the buckets hold 2; then 1 while the buckets hold 2; then a bucket of no values.
        var more = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(more.AsSpan(0, 8), 3L);
        Assert.Throws<InvalidDataException>(() => Read(more, new QuantileSketch()));
        var fewer = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(fewer.AsSpan(0, 8), 1L);
        Assert.Throws<InvalidDataException>(() => Read(fewer, new QuantileSketch()));
        var empty = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(empty.AsSpan(8 + 8 + 8 + 4 + 2, 4), 0);
        Assert.Throws<InvalidDataException>(() => Read(empty, new QuantileSketch()));
    }

    private static byte[] Snapshot(QuantileSketch sketch)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            sketch.Write(writer);
        }

        return stream.ToArray();
    }

    private static QuantileSketch Read(byte[] bytes, QuantileSketch into)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        into.Read(reader);
        return into;
    }
}
