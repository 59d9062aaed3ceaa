using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Quality;

/// <summary>What the data-quality engine found on one URN in one tumbling window.</summary>
internal sealed class QualityWindow(long start)
{
    public const int MaxSamples = 8;

    public long Start { get; } = start;

    /// <summary>Signals checked for required attributes.</summary>
    public long Checked { get; set; }

    /// <summary>Missing count per required key (or <c>schema.fields/name</c> for a contract's required field).</summary>
    public Dictionary<string, long> Missing { get; } = new(StringComparer.Ordinal);

    public long FailedAssertions { get; set; }

    public List<Evidence> Assertions { get; } = [];

    public List<Evidence> ColumnMetrics { get; } = [];

    public long Duplicates { get; set; }

    public List<string> DuplicateSamples { get; } = [];
}
