namespace Autopilot.Ingest.Receivers;

/// <summary>What a bearer token may do (README, "Auth").</summary>
public enum AccessRole
{
    /// <summary>Send telemetry: OTLP (gRPC and HTTP), OpenLineage, remote write.</summary>
    Ingest = 1,

    /// <summary>Read: every GET of the API, the dashboard, <c>/metrics</c>, and the query services on the gRPC port.</summary>
    Read = 2,

    /// <summary>Everything: ingest, read and the endpoints that change state (acknowledge an incident, approve a remediation).</summary>
    Admin = 3,
}
