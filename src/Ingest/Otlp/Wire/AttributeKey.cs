using System.Runtime.InteropServices;
using System.Text;
using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Redaction;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>
/// An interned attribute key, what the normalizer reads it for, and whether its values repeat. Values of a key whose
/// values rarely repeat (request ids, URLs, amounts) are decoded straight to a string rather than looked up in the
/// value table: hashing them and evicting useful entries costs more than it saves. One value in 32 is still looked up,
/// so a key whose values start repeating goes back to the table. The decision is made on a sample of the values. The counts are
/// deliberately unsynchronized: a lost update only shifts a heuristic, never a result.
/// </summary>
internal sealed class AttributeKey(string text, WellKnownAttribute id, uint hash, byte[] utf8)
{
    /// <summary>Values counted before the key is judged again.</summary>
    private const int Window = 256;

    /// <summary>One value in this many of a key whose values repeat is counted (a power of two).</summary>
    private const int CountEvery = 8;

    /// <summary><see cref="_keyRule"/> before the redactor was asked.</summary>
    private const int NotAsked = -2;

    // Written by whichever thread counts a value, so kept off the cache lines of the fields every attribute reads.
    private readonly Counts _counts = new();
    private bool _rarelyRepeats;
    private int _keyRule = NotAsked;

    public string Text { get; } = text;

    public WellKnownAttribute Id { get; } = id;

    /// <summary>Whether value rules leave this key's values alone (<see cref="Redactor.IsRenderedKey"/>), decided once per key.</summary>
    public bool Rendered { get; } = Redactor.IsRenderedKey(text);

    /// <summary>The <see cref="Utf8Hash"/> of the key's bytes, for the table's comparisons.</summary>
    public uint Hash { get; } = hash;

    /// <summary>The key's bytes as they came (a byte comparison with them is cheaper than one with <see cref="Text"/>).</summary>
    public byte[] Utf8 { get; } = utf8;

    /// <summary>
    /// The redactor's key rule for this key (-1: none), asked once per table entry. A table belongs to one normalizer,
    /// which has one redactor, so the answer cannot change; a racing first ask only asks twice.
    /// </summary>
    public int KeyRule(Redactor redactor)
    {
        var rule = _keyRule;
        if (rule == NotAsked)
        {
            _keyRule = rule = redactor.KeyRuleFor(Text);
        }

        return rule;
    }

    /// <summary>Whether this key's values are mostly decoded straight to a string of their own (see <see cref="Value"/>).</summary>
    public bool RarelyRepeats => _rarelyRepeats;

    /// <summary>
    /// The string of one of this key's values: from <paramref name="values"/> unless the key's values rarely repeat.
    /// <paramref name="sampler"/> is the calling request's random state (<see cref="WireAttributeBuilder.Sampler"/>): the
    /// key's statistics are updated for one value in <see cref="CountEvery"/> (one in 32 when they rarely repeat, the values
    /// looked up again), so threads decoding at once seldom write the same key's fields. Written on every value, they moved
    /// between the cores' caches with every value of a shared key: two workers decoded a span in 1.7 times the CPU of one.
    /// </summary>
    public string Value(Utf8Interner values, ReadOnlySpan<byte> utf8, ref uint sampler)
    {
        var random = sampler;
        random ^= random << 13;
        random ^= random >> 17;
        random ^= random << 5;
        sampler = random;
        var rarely = _rarelyRepeats;
        if (rarely && (random & 31) != 0)
        {
            return utf8.Length == 0 ? string.Empty : Encoding.UTF8.GetString(utf8);
        }

        var value = values.Intern(utf8, out var hit);
        if (rarely || (random & (CountEvery - 1)) == 0)
        {
            ref var counts = ref _counts.Value;
            counts.Hits += hit ? 1 : 0;
            if (++counts.Sampled >= Window)
            {
                var judged = counts.Hits * 8 < counts.Sampled;
                if (judged != rarely)
                {
                    _rarelyRepeats = judged;
                }

                counts.Sampled = 0;
                counts.Hits = 0;
            }
        }

        return value;
    }

    /// <summary>The counts of the values sampled since the key was last judged, padded to cache lines of their own.</summary>
    private sealed class Counts
    {
        public PaddedCounts Value;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounts
    {
        [FieldOffset(64)]
        public int Sampled;

        [FieldOffset(68)]
        public int Hits;
    }
}
