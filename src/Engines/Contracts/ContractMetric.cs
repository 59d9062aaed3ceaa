namespace Autopilot.Engines.Contracts;

/// <summary>What a quality rule measures, and the signal that carries it.</summary>
public enum ContractMetric
{
    /// <summary><c>rowCount</c>: the value of a <c>lineage.row_count</c> record.</summary>
    RowCount,

    /// <summary><c>nullCount(column)</c>: <c>dq.null_count</c>.</summary>
    NullCount,

    /// <summary><c>distinctCount(column)</c>: <c>dq.distinct_count</c>.</summary>
    DistinctCount,

    /// <summary><c>min(column)</c>: <c>dq.min</c>.</summary>
    Min,

    /// <summary><c>max(column)</c>: <c>dq.max</c>.</summary>
    Max,

    /// <summary><c>sum(column)</c>: <c>dq.sum</c>.</summary>
    Sum,

    /// <summary><c>count(column)</c>: <c>dq.count</c>.</summary>
    Count,
}
