using System.Runtime.CompilerServices;

namespace Autopilot.Pipeline.Partitioning;

/// <summary>
/// <see cref="PartitionHash"/>'s bucket of string keys, remembered per string instance: a stream's keys are mostly a
/// few thousand instances repeated (every signal of a service carries the same URN string), and hashing the key's text
/// again (two multiplications per character, about 80 for a URN) was 4 % of the engine stage. Direct-mapped on the
/// instance's identity hash; a miss (another instance of the same text, a collision) computes the bucket as before, so
/// the answer is always <c>Bucket(Hash(key), partitions)</c>. One per partition stage, used by its one distributing task.
/// </summary>
internal sealed class StringBucketCache(int partitions)
{
    private const int Size = 4096;
    private readonly Entry[] _entries = new Entry[Size];

    public int BucketOf(string key)
    {
        if (key is null)
        {
            // As without the cache: a null key is an error of the key selector (and would match an empty entry here).
            return PartitionHash.Bucket(PartitionHash.Hash(key!), partitions);
        }

        ref var entry = ref _entries[RuntimeHelpers.GetHashCode(key) & (Size - 1)];
        if (ReferenceEquals(entry.Key, key))
        {
            return entry.Bucket;
        }

        var bucket = PartitionHash.Bucket(PartitionHash.Hash(key), partitions);
        entry = new Entry(key, bucket);
        return bucket;
    }

    private readonly record struct Entry(string? Key, int Bucket);
}
