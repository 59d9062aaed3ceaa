using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Autopilot.Benchmarks;

/// <summary>Throughput from the median time per operation (an operation is one element): 1e9 / ns.</summary>
public sealed class ElementsPerSecondColumn : IColumn
{
    public string Id => nameof(ElementsPerSecondColumn);

    public string ColumnName => "Elements/s (median)";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Elements per second, 1e9 / median ns per element";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var median = summary[benchmarkCase]?.ResultStatistics?.Median;
        return median is > 0 ? (1e9 / median.Value).ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : "NA";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
