namespace Autopilot.Agents.Scout.Planning;

/// <summary>How sure Scout is that each kind of gap is real. One place, so the README can quote it.</summary>
internal static class GapConfidence
{
    /// <summary>No SDK in the build file and no agent in the deployment files found for the service.</summary>
    public const double MissingOtel = 0.9;

    /// <summary>As above, but no deployment file was found: an agent could be injected from outside the repository.</summary>
    public const double MissingOtelNoDeployment = 0.8;

    public const double MissingOtelInit = 0.8;

    /// <summary>Call sites found and nothing propagates for them.</summary>
    public const double MissingCorrelationCallSites = 0.85;

    /// <summary>Only the framework or a client dependency shows the need (no call site found).</summary>
    public const double MissingCorrelationDependencyOnly = 0.7;

    /// <summary>Added when the service has no OpenTelemetry at all: nothing can be propagating.</summary>
    public const double NoOtelBonus = 0.05;

    public const double MissingLineageSpec = 0.8;

    public const double MissingRunbook = 0.9;

    public const double MissingHealthEndpoint = 0.7;

    public const double MissingResourceAttributes = 0.75;
}
