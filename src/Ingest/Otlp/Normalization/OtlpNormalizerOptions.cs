using Autopilot.Ingest.Redaction;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>Options of the OTLP normalizer; every default lives here.</summary>
public sealed class OtlpNormalizerOptions
{
    /// <summary>Applied to every URN the normalizer resolves.</summary>
    public UrnAliases Aliases { get; init; } = UrnAliases.None;

    /// <summary>
    /// Applied to every signal the decoder emits (attribute values, span names, log bodies) before it is returned; none by
    /// default. The binary trace and log reader applies it as it reads, the other paths to the finished signals.
    /// </summary>
    public Redactor Redactor { get; init; } = Redactor.None;

    /// <summary>Slots of the string interner (rounded up to a power of two); bounds its memory.</summary>
    public int InternerCapacity { get; init; } = 8192;

    /// <summary>Strings longer than this are never interned (bodies, URLs, statements).</summary>
    public int MaxInternedLength { get; init; } = 128;

    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Aliases is null)
        {
            throw new ArgumentException("Aliases must not be null; use UrnAliases.None.", nameof(Aliases));
        }

        if (Redactor is null)
        {
            throw new ArgumentException("Redactor must not be null; use Redactor.None.", nameof(Redactor));
        }

        if (InternerCapacity is < 1 or > 1 << 24)
        {
            throw new ArgumentException($"InternerCapacity must be between 1 and {1 << 24}; it is {InternerCapacity}.", nameof(InternerCapacity));
        }

        if (MaxInternedLength is < 0 or > 4096)
        {
            throw new ArgumentException($"MaxInternedLength must be between 0 and 4096; it is {MaxInternedLength}.", nameof(MaxInternedLength));
        }
    }
}
