namespace Autopilot.Ingest.OpenLineage;

/// <summary>One assertion; <paramref name="Column"/> is null for dataset-level assertions.</summary>
public sealed record DataQualityAssertion(string? Assertion, bool? Success, string? Column);
