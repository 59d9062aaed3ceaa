using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Tests.TestSupport;

/// <summary>Compares findings by value, evidence included (records compare lists by reference).</summary>
internal sealed class FindingComparer : IEqualityComparer<Finding>
{
    public static readonly FindingComparer Instance = new();

    public bool Equals(Finding? x, Finding? y) =>
        x is not null && y is not null
        && (x with { Evidence = [] }) == (y with { Evidence = [] })
        && x.Evidence.SequenceEqual(y.Evidence);

    public int GetHashCode(Finding obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
}
