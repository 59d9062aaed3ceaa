using Autopilot.Pipeline.Partitioning;

namespace Autopilot.Pipeline.Tests.Partitioning;

public sealed class PartitionHashTests
{
    // FNV-1a 64 of the UTF-16 bytes; published vectors for the empty string and "a" (as UTF-16LE "a\0").
    [Fact]
    public void Hash_MatchesFnv1a64OverUtf16()
    {
        Assert.Equal(14695981039346656037UL, PartitionHash.Hash(string.Empty));
        var expected = 14695981039346656037UL;
        foreach (var b in System.Text.Encoding.Unicode.GetBytes("urn:autopilot:service:prod:checkout"))
        {
            expected = (expected ^ b) * 1099511628211UL;
        }

        Assert.Equal(expected, PartitionHash.Hash("urn:autopilot:service:prod:checkout"));
    }

    // Golden values: string.GetHashCode is randomized per process, so a partitioner built on it would
    // send a URN to another shard after every restart. These were computed once and must never change.
    [Theory]
    [InlineData("urn:autopilot:dataset:postgres%3A//db:public.orders", 64, 63)]
    [InlineData("urn:autopilot:service:prod:checkout", 16, 2)]
    [InlineData("urn:autopilot:topic:kafka:orders", 4, 0)]
    public void Bucket_OfAUrn_IsTheSameOnEveryRun(string urn, int partitions, int expected)
    {
        Assert.Equal(expected, PartitionHash.Bucket(PartitionHash.Hash(urn), partitions));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(64)]
    public void StringBucketCache_GivesTheBucketOfTheText_ForEveryInstanceAndOnCollisions(int partitions)
    {
        var cache = new StringBucketCache(partitions);

        // More keys than the cache has entries, so entries are overwritten; each asked three times, the last time through
        // another instance of the same text (a miss on identity that must still give the same bucket).
        var keys = Enumerable.Range(0, 10_000).Select(i => "urn:autopilot:service:prod:svc-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        for (var round = 0; round < 3; round++)
        {
            foreach (var key in keys)
            {
                var asked = round == 2 ? new string(key.AsSpan()) : key;
                Assert.Equal(PartitionHash.Bucket(PartitionHash.Hash(key), partitions), cache.BucketOf(asked));
            }
        }

        Assert.Throws<ArgumentNullException>(() => cache.BucketOf(null!));
    }

    [Fact]
    public void Hash_OfIntegers_IsStable()
    {
        Assert.Equal(12058926934050108962UL, PartitionHash.Hash(42L));
        Assert.Equal(PartitionHash.Hash(42L), PartitionHash.Hash(42UL));
    }

    [Fact]
    public void Bucket_SpreadsKeysEvenly()
    {
        var counts = new int[8];
        for (var i = 0; i < 80_000; i++)
        {
            counts[PartitionHash.Bucket(PartitionHash.Hash($"urn:autopilot:service:ns:svc-{i}"), 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9000, 11_000));
    }

    [Fact]
    public void Bucket_MovesOnlyAboutOneNthOfKeysWhenAPartitionIsAdded()
    {
        var moved = 0;
        const int keys = 50_000;
        for (var i = 0; i < keys; i++)
        {
            var h = PartitionHash.Hash((long)i);
            var before = PartitionHash.Bucket(h, 9);
            var after = PartitionHash.Bucket(h, 10);
            if (before != after)
            {
                moved++;
                Assert.Equal(9, after);
            }
        }

        Assert.InRange(moved, keys / 10 * 0.9, keys / 10 * 1.1);
    }

    [Fact]
    public void Bucket_RejectsZeroPartitions()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PartitionHash.Bucket(1, 0));
    }
}
