using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Quality;

/// <summary>What the data-quality engine found on one URN in one tumbling window.</summary>
internal sealed class QualityWindow(long start)
{
    public const int MaxSamples = 8;

    public long Start { get; private set; } = start;

    /// <summary>Signals checked for required attributes.</summary>
    public long Checked { get; set; }

    /// <summary>Missing count per required key (or <c>schema.fields/name</c> for a contract's required field).</summary>
    public Dictionary<string, long> Missing { get; } = new(StringComparer.Ordinal);

    public long FailedAssertions { get; set; }

    public List<Evidence> Assertions { get; } = [];

    public List<Evidence> ColumnMetrics { get; } = [];

    public long Duplicates { get; set; }

    public List<string> DuplicateSamples { get; } = [];

    /// <summary>Makes a judged window an empty one starting at <paramref name="start"/>, for reuse.</summary>
    public void Reset(long start)
    {
        Start = start;
        Checked = 0;
        Missing.Clear();
        FailedAssertions = 0;
        Assertions.Clear();
        ColumnMetrics.Clear();
        Duplicates = 0;
        DuplicateSamples.Clear();
    }
}
