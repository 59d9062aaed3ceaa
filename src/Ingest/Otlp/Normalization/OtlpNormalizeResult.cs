namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// What normalizing one request did, counted in OTLP items (spans, data points or log records), so the
/// receiver can answer OTLP partial success: <c>rejected_spans</c> / <c>rejected_data_points</c> /
/// <c>rejected_log_records</c> = <see cref="Rejected"/> and <c>error_message</c> = <see cref="FirstError"/>.
/// </summary>
/// <param name="Accepted">Items turned into signals.</param>
/// <param name="Rejected">Items refused by per-item validation; none of their signals were emitted.</param>
/// <param name="FirstError">Why the first refused item was refused; null when none was.</param>
/// <param name="Redacted">Signals the decoder's <see cref="Redaction.Redactor"/> changed (a value or name replaced).</param>
public readonly record struct OtlpNormalizeResult(int Accepted, int Rejected, string? FirstError, int Redacted = 0)
{
    public bool IsPartial => Rejected > 0;

    /// <summary>Sums two results (e.g. the lines of a JSON Lines file); the first error wins.</summary>
    public OtlpNormalizeResult Add(OtlpNormalizeResult other) =>
        new(Accepted + other.Accepted, Rejected + other.Rejected, FirstError ?? other.FirstError, Redacted + other.Redacted);
}
