using Autopilot.Ingest.Otlp.Normalization;

namespace Autopilot.Ingest.Otlp.Wire;

/// <summary>An interned attribute key and what the normalizer reads it for.</summary>
internal sealed class AttributeKey(string text, WellKnownAttribute id)
{
    public string Text { get; } = text;

    public WellKnownAttribute Id { get; } = id;
}
