using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Autopilot.Benchmarks;

/// <summary>
/// Median time of a reference benchmark (same class, same job) divided by this one's: above 1 means
/// faster than the reference. BenchmarkDotNet's own Ratio column only knows one baseline.
/// </summary>
public sealed class MedianRatioColumn(string referenceMethod, string columnName) : IColumn
{
    public string Id => $"{nameof(MedianRatioColumn)}.{referenceMethod}";

    public string ColumnName => columnName;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => $"Speed-up over {referenceMethod}: its median time / this median time";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var reference = summary.BenchmarksCases.FirstOrDefault(c =>
            c.Descriptor.WorkloadMethod.Name == referenceMethod
            && c.Descriptor.Type == benchmarkCase.Descriptor.Type
            && c.Job == benchmarkCase.Job
            && c.Parameters.DisplayInfo == benchmarkCase.Parameters.DisplayInfo);
        var mine = summary[benchmarkCase]?.ResultStatistics?.Median;
        var theirs = reference is null ? null : summary[reference]?.ResultStatistics?.Median;
        return mine is > 0 && theirs is > 0
            ? (theirs.Value / mine.Value).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) + "x"
            : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
