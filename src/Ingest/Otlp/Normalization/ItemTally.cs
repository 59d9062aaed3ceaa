using System.Globalization;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Accepted / rejected item counts of one request and the first rejection's reason (OTLP partial success), and how many
/// signals redaction changed.
/// </summary>
internal struct ItemTally
{
    public int Accepted;
    public int Rejected;
    public string? FirstError;
    public int Redacted;

    public readonly OtlpNormalizeResult Result => new(Accepted, Rejected, FirstError, Redacted);

    public void Reject(string problem, string item, int resource, int scope, int index)
    {
        Rejected++;
        FirstError ??= string.Create(CultureInfo.InvariantCulture, $"{item} {index} of scope {scope} of resource {resource}: {problem}");
    }

    public void RejectPoint(string problem, int metric, int scope, int resource, int point)
    {
        Rejected++;
        FirstError ??= string.Create(
            CultureInfo.InvariantCulture,
            $"data point {point} of metric {metric} of scope {scope} of resource {resource}: {problem}");
    }
}
