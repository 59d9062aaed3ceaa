namespace Autopilot.Engines.Incidents;

public enum IncidentStatus
{
    Open = 0,
    Acknowledged = 1,
    Resolved = 2,
}
