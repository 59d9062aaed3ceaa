using System.Globalization;
using Autopilot.Ingest.Grpc;
using Proto = Autopilot.Rca.Grpc.V1;

namespace Autopilot.Rca.Grpc;

/// <summary>
/// Checks of RCA request fields. Each problem is one line naming the field as the .proto spells it; all of a
/// request's problems are reported together in one INVALID_ARGUMENT.
/// </summary>
internal static class RcaRequestChecks
{
    // 1970-01-12 in Unix ns: a time before it is a time in seconds or milliseconds sent as nanoseconds.
    private const long SmallestPlausibleNanos = 1_000_000_000_000_000;

    /// <summary>The explainer to use; adds a problem for a number outside the enum, FAILED_PRECONDITION for the LLM on a server without one.</summary>
    public static RcaExplainerChoice Explainer(Proto.Explainer explainer, bool llmConfigured, List<string> problems)
    {
        switch (explainer)
        {
            case Proto.Explainer.Unspecified or Proto.Explainer.Auto:
                return RcaExplainerChoice.Auto;
            case Proto.Explainer.Rules:
                return RcaExplainerChoice.Rules;
            case Proto.Explainer.Llm when !llmConfigured:
                throw new GrpcException(GrpcStatusCode.FailedPrecondition, "explainer: EXPLAINER_LLM, but no LLM is configured on this server (serve --llm-provider anthropic|openai, or ANTHROPIC_API_KEY / AUTOPILOT_LLM_BASE_URL)");
            case Proto.Explainer.Llm:
                return RcaExplainerChoice.Llm;
            default:
                problems.Add(UnknownEnum("explainer", (int)explainer, "Explainer", "EXPLAINER_AUTO, EXPLAINER_RULES, EXPLAINER_LLM"));
                return RcaExplainerChoice.Auto;
        }
    }

    /// <summary>The status filter (null: any); adds a problem for a number outside the enum.</summary>
    public static Engines.Incidents.IncidentStatus? Status(Proto.IncidentStatus status, List<string> problems)
    {
        if (status == Proto.IncidentStatus.Unspecified)
        {
            return null;
        }

        var mapped = RcaProtoMapper.FromProto(status);
        if (mapped is null)
        {
            problems.Add(UnknownEnum("status", (int)status, "IncidentStatus", "INCIDENT_STATUS_UNSPECIFIED (any), INCIDENT_STATUS_OPEN, INCIDENT_STATUS_ACKNOWLEDGED, INCIDENT_STATUS_RESOLVED"));
        }

        return mapped;
    }

    /// <summary>A required time: set, positive, and plausibly nanoseconds.</summary>
    public static void RequiredTime(string field, long value, List<string> problems)
    {
        if (value == 0)
        {
            problems.Add($"{field}: required (Unix nanoseconds)");
            return;
        }

        Time(field, value, problems);
    }

    /// <summary>A time that was given: positive and plausibly nanoseconds (not seconds or milliseconds).</summary>
    public static void Time(string field, long value, List<string> problems)
    {
        if (value < 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is negative; times are Unix nanoseconds"));
        }
        else if (value < SmallestPlausibleNanos)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is in the first days of 1970; times are Unix nanoseconds (seconds or milliseconds were sent?)"));
        }
    }

    /// <summary>An Autopilot URN (urn:autopilot:&lt;kind&gt;:&lt;namespace&gt;:&lt;name&gt;), as the HTTP API checks it.</summary>
    public static void Urn(string field, string urn, List<string> problems)
    {
        if (!urn.StartsWith("urn:autopilot:", StringComparison.Ordinal) || urn.Split(':').Length < 5)
        {
            problems.Add($"{field}: '{urn}' is not an Autopilot URN (urn:autopilot:<kind>:<namespace>:<name>)");
        }
    }

    /// <summary>Throws INVALID_ARGUMENT with every problem when there are any.</summary>
    public static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, string.Join("; ", problems));
        }
    }

    private static string UnknownEnum(string field, int value, string enumName, string members) =>
        string.Create(CultureInfo.InvariantCulture, $"{field}: {value} is not a value of {enumName} (one of {members})");
}
