namespace Autopilot.Agents.Validate;

/// <summary>Exit codes of <c>autopilot validate</c> (README, "Telemetry Validator").</summary>
public static class ValidateExitCodes
{
    /// <summary>Every check held: verdict PASS.</summary>
    public const int Pass = 0;

    /// <summary>The service ran but some check failed: verdict FAIL.</summary>
    public const int Fail = 1;

    /// <summary>Bad option, or a traffic / expectation file that cannot be used (one line naming file and key).</summary>
    public const int Usage = 2;

    /// <summary>The service exited or never became ready; the report carries its output tail.</summary>
    public const int ServiceDidNotStart = 3;
}
