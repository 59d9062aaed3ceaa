using Autopilot.Ingest.Otlp.Normalization;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// Topic and dataset URNs of messaging and database spans, by the attribute values they are built from: a bounded
/// direct-mapped cache, because a service talks to few topics and tables while building a URN (percent-encoding,
/// alias lookup) costs allocations every time. Entries are immutable; races only cost a rebuild.
/// </summary>
internal sealed class RecordUrnCache
{
    private readonly Entry?[] _slots;
    private readonly int _mask;
    private readonly UrnAliases _aliases;

    public RecordUrnCache(int capacity, UrnAliases aliases)
    {
        var size = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(capacity, 1));
        _slots = new Entry?[size];
        _mask = size - 1;
        _aliases = aliases;
    }

    public string Topic(string system, string destination) => Get(isTopic: true, system, null, destination);

    public string Dataset(string system, string? @namespace, string table) => Get(isTopic: false, system, @namespace, table);

    private string Get(bool isTopic, string system, string? @namespace, string name)
    {
        var hash = HashCode.Combine(isTopic, system, @namespace, name);
        ref var slot = ref _slots[hash & _mask];
        var current = Volatile.Read(ref slot);
        if (current is not null && current.IsTopic == isTopic
            && string.Equals(current.System, system, StringComparison.Ordinal)
            && string.Equals(current.Namespace, @namespace, StringComparison.Ordinal)
            && string.Equals(current.Name, name, StringComparison.Ordinal))
        {
            return current.Urn;
        }

        var urn = _aliases.Resolve(isTopic ? OtlpUrns.Topic(system, name) : OtlpUrns.Dataset(system, @namespace, name));
        Volatile.Write(ref slot, new Entry(isTopic, system, @namespace, name, urn));
        return urn;
    }

    private sealed record Entry(bool IsTopic, string System, string? Namespace, string Name, string Urn);
}
