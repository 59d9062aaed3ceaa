using Autopilot.Rca.Graph;

namespace Autopilot.Rca.Context;

/// <summary>
/// Which <see cref="FaultPlane"/> a finding's symptom belongs to, by the engines' finding kinds: counts of what
/// arrives are traffic; freshness, schema, data quality and contract findings are about the data; everything else
/// (latency, error rates, SLO burn, metric anomalies and thresholds, log spikes and new templates, distribution
/// drift of durations and values, and kinds this list does not know) is about requests.
/// </summary>
internal static class SymptomPlanes
{
    public static FaultPlane Of(string findingKind)
    {
        ArgumentNullException.ThrowIfNull(findingKind);
        return findingKind switch
        {
            "volume.drop" or "volume.spike" => FaultPlane.Traffic,
            "drift.schema" or "dq.missing_attribute" or "dq.assertion_failed" or "dq.column_metric" or "dq.duplicate" => FaultPlane.Data,
            _ when findingKind.StartsWith("freshness.", StringComparison.Ordinal) || findingKind.StartsWith("contract.", StringComparison.Ordinal) => FaultPlane.Data,
            _ => FaultPlane.Request,
        };
    }
}
