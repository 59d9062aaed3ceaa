namespace Autopilot.Ingest.OpenLineage;

/// <summary>How strictly <see cref="OpenLineageDecoder"/> reads events. The defaults accept what Marquez accepts.</summary>
public sealed class OpenLineageOptions
{
    public static readonly OpenLineageOptions Default = new();

    /// <summary>
    /// Whether a run event without <c>schemaURL</c> is refused. The spec requires it, Marquez does not
    /// (dbt's integration omits it), so the default is false. Job and dataset events always need it, as in Marquez.
    /// </summary>
    public bool RequireRunEventSchemaUrl { get; init; }
}
