using Autopilot.Engines.Quality;

namespace Autopilot.Engines.Tests.Quality;

/// <summary>
/// <see cref="IdSet"/> replaced a <see cref="HashSet{T}"/> of ids: it must answer every Add and Contains the same way
/// and enumerate in the order the hash set enumerated (snapshots are written in that order).
/// </summary>
public sealed class IdSetTests
{
    public static TheoryData<string, int> Workloads => new()
    {
        { "random", 1 },
        { "random", 10 },
        { "random", 10_000 },
        { "sequential", 10_000 },
        { "with-zero", 100 },
        { "colliding", 5_000 },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public void AddContainsClear_SameAnswersAndOrderAsHashSet(string workload, int size)
    {
        var random = new Random(size);
        var set = new IdSet();
        var reference = new HashSet<ulong>();
        var seen = new List<ulong>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < size; i++)
            {
                var id = Next(workload, random, i, size);
                Assert.Equal(reference.Contains(id), set.Contains(id));
                Assert.Equal(reference.Add(id), set.Add(id));
                seen.Add(id);

                // Repeats of ids added before (in this round or an earlier, cleared one).
                var again = seen[random.Next(seen.Count)];
                Assert.Equal(reference.Contains(again), set.Contains(again));
                Assert.Equal(reference.Add(again), set.Add(again));
            }

            Assert.Equal(reference.Count, set.Count);
            Assert.Equal(reference.ToArray(), set.InOrder.ToArray());
            set.Clear();
            reference.Clear();
            Assert.Equal(0, set.Count);
            Assert.False(set.Contains(Next(workload, random, 0, size)));
        }
    }

    [Fact]
    public void Contains_AbsentIdsAfterGrowth_False()
    {
        var set = new IdSet();
        for (ulong id = 1; id <= 1_000; id++)
        {
            Assert.True(set.Add(id * 7));
        }

        for (ulong id = 1; id <= 1_000; id++)
        {
            Assert.True(set.Contains(id * 7));
            Assert.False(set.Contains((id * 7) + 1));
        }

        Assert.False(set.Contains(0));
        Assert.True(set.Add(0));
        Assert.True(set.Contains(0));
        Assert.False(set.Add(0));
        Assert.Equal(1_001, set.Count);
    }

    private static ulong Next(string workload, Random random, int i, int size) => workload switch
    {
        "sequential" => (ulong)i + 1,
        "with-zero" => (ulong)random.Next(0, (size / 2) + 1), // 0 included
        "colliding" => (ulong)random.Next(size) << 40, // differ in high bits only
        _ => (ulong)random.NextInt64(),
    };
}
