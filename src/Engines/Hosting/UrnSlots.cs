using System.Runtime.CompilerServices;

namespace Autopilot.Engines.Hosting;

/// <summary>
/// Small dense numbers for the URNs one shard sees, resolved once per signal for all its engines: each engine's
/// <see cref="UrnCache{T}"/> is then an array indexed by the slot instead of a sparse table hashed on the URN's
/// identity, and the identity hash and its cache miss are paid once per signal instead of once per engine. The same
/// URN text always has the same slot until the table fills up and starts over (after <see cref="MaxSlots"/> distinct
/// URNs), so a slot is only ever a hint: an engine's cache still checks that its entry is for the very same string.
/// </summary>
internal sealed class UrnSlots
{
    /// <summary>At most this many slots; past it the numbering starts over (the caches then just miss once per URN).</summary>
    internal const int MaxSlots = 16_384;

    // Direct-mapped on the URN string's identity, as UrnCache was: at n URNs in m entries about e^(-n/m) of them sit
    // alone, so m is several times the URNs a shard usually sees. A miss (another instance of the same text, or a
    // collision) falls back to the text lookup.
    private const int IdentitySize = 16_384;
    private readonly Entry[] _identity = new Entry[IdentitySize];
    private readonly Dictionary<string, int> _byText = new(StringComparer.Ordinal);

    /// <summary>Slots handed out since the last start-over.</summary>
    public int Count => _byText.Count;

    public int SlotOf(string urn)
    {
        ref var entry = ref _identity[(int)((uint)RuntimeHelpers.GetHashCode(urn) % IdentitySize)];
        return ReferenceEquals(entry.Urn, urn) ? entry.Slot : Resolve(urn, ref entry);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int Resolve(string urn, ref Entry entry)
    {
        if (!_byText.TryGetValue(urn, out var slot))
        {
            if (_byText.Count == MaxSlots)
            {
                // More URNs than slots: start over rather than grow without bound. Engines' caches keyed by the old
                // numbers miss (their entries name other strings) and are refilled.
                _byText.Clear();
                Array.Clear(_identity);
            }

            slot = _byText.Count;
            _byText.Add(urn, slot);
        }

        entry = new Entry(urn, slot);
        return slot;
    }

    private readonly record struct Entry(string? Urn, int Slot);
}
