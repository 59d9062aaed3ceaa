using Autopilot.Ingest.Otlp.Normalization;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.Otlp.Normalization;

internal static class NormalizeHelper
{
    public static (OtlpNormalizeResult Result, List<Signal> Signals) File(string relativePath, string signal, OtlpNormalizerOptions? options = null)
    {
        var decoded = DecodedFile.Load(relativePath, signal);
        return Request(decoded, options);
    }

    public static (OtlpNormalizeResult Result, List<Signal> Signals) Request(DecodedFile decoded, OtlpNormalizerOptions? options = null)
    {
        var normalizer = new OtlpNormalizer(options ?? new OtlpNormalizerOptions());
        var signals = new List<Signal>();
        var result = normalizer.Normalize(decoded.Traces, signals)
            .Add(normalizer.Normalize(decoded.Metrics, signals))
            .Add(normalizer.Normalize(decoded.Logs, signals));
        return (result, signals);
    }
}
