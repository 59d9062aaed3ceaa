namespace Autopilot.Ingest.OpenLineage;

/// <summary>The three event shapes of OpenLineage 2-0-2, told apart as the spec's <c>oneOf</c> does.</summary>
public enum LineageEventKind : byte
{
    /// <summary>Has <c>run</c> and <c>job</c>: a state transition of one run.</summary>
    Run = 1,

    /// <summary>Has <c>job</c> but no <c>run</c>: static job metadata.</summary>
    Job = 2,

    /// <summary>Has <c>dataset</c> but neither <c>run</c> nor <c>job</c>: static dataset metadata.</summary>
    Dataset = 3,
}
