using Autopilot.Engines.Findings;
using Autopilot.Engines.Incidents;
using Autopilot.Rca.Answers;
using Proto = Autopilot.Rca.Grpc.V1;

namespace Autopilot.Rca.Grpc;

/// <summary>The records of the RCA analyzer and the engines as the messages of <c>protos/autopilot/rca/v1/rca.proto</c>.</summary>
internal static class RcaProtoMapper
{
    public static Proto.RcaAnswer ToProto(RcaAnswer answer)
    {
        var message = new Proto.RcaAnswer
        {
            FromUnixNano = answer.FromUnixNano,
            ToUnixNano = answer.ToUnixNano,
            Summary = answer.Summary,
            StakeholderUpdate = answer.StakeholderUpdate,
            Explainer = answer.Explainer,
        };
        if (answer.IncidentId is not null)
        {
            message.IncidentId = answer.IncidentId;
        }

        if (answer.ExplainerFallback is not null)
        {
            message.ExplainerFallback = answer.ExplainerFallback;
        }

        foreach (var cause in answer.RootCauses)
        {
            var root = new Proto.RootCause { Urn = cause.Urn, Score = cause.Score };
            root.Reasons.AddRange(cause.Reasons);
            foreach (var evidence in cause.Evidence)
            {
                root.Evidence.Add(ToProto(evidence));
            }

            message.RootCauses.Add(root);
        }

        foreach (var entry in answer.Timeline)
        {
            message.Timeline.Add(ToProto(entry));
        }

        message.BlastRadius.AddRange(answer.BlastRadius);
        foreach (var action in answer.Actions)
        {
            message.Actions.Add(new Proto.RecommendedAction
            {
                Action = ToProto(action.Action),
                Target = action.Target,
                Rationale = action.Rationale,
                Risk = RiskOf(action.Risk),
            });
        }

        message.NextChecks.AddRange(answer.NextChecks);
        if (answer.Notes is { } notes)
        {
            message.Notes.AddRange(notes);
        }

        return message;
    }

    public static Proto.Incident ToProto(Incident incident)
    {
        var message = new Proto.Incident
        {
            Id = incident.Id,
            Status = ToProto(incident.Status),
            Severity = ToProto(incident.Severity),
            OpenedUnixNano = incident.OpenedUnixNano,
            UpdatedUnixNano = incident.UpdatedUnixNano,
            Summary = incident.Summary,
        };
        if (incident.ResolvedUnixNano is { } resolved)
        {
            message.ResolvedUnixNano = resolved;
        }

        message.AffectedUrns.AddRange(incident.AffectedUrns);
        message.FindingIds.AddRange(incident.FindingIds);
        foreach (var root in incident.SuspectedRoots)
        {
            var suspected = new Proto.SuspectedRoot { Urn = root.Urn, Score = root.Score };
            suspected.Reasons.AddRange(root.Reasons);
            message.SuspectedRoots.Add(suspected);
        }

        foreach (var entry in incident.Timeline)
        {
            message.Timeline.Add(ToProto(entry));
        }

        return message;
    }

    public static Proto.Finding ToProto(Finding finding)
    {
        var message = new Proto.Finding
        {
            Id = finding.Id,
            Urn = finding.Urn,
            Engine = finding.Engine,
            Kind = finding.Kind,
            Severity = ToProto(finding.Severity),
            Score = finding.Score,
            WindowStartUnixNano = finding.WindowStartUnixNano,
            WindowEndUnixNano = finding.WindowEndUnixNano,
            TimeUnixNano = finding.TimeUnixNano,
            Summary = finding.Summary,
        };
        foreach (var evidence in finding.Evidence)
        {
            message.Evidence.Add(ToProto(evidence));
        }

        return message;
    }

    public static Proto.IncidentStatus ToProto(IncidentStatus status) => status switch
    {
        IncidentStatus.Open => Proto.IncidentStatus.Open,
        IncidentStatus.Acknowledged => Proto.IncidentStatus.Acknowledged,
        IncidentStatus.Resolved => Proto.IncidentStatus.Resolved,
        _ => Proto.IncidentStatus.Unspecified,
    };

    /// <summary>The engines' status for a request's filter; null for UNSPECIFIED (any) and for numbers outside the enum.</summary>
    public static IncidentStatus? FromProto(Proto.IncidentStatus status) => status switch
    {
        Proto.IncidentStatus.Open => IncidentStatus.Open,
        Proto.IncidentStatus.Acknowledged => IncidentStatus.Acknowledged,
        Proto.IncidentStatus.Resolved => IncidentStatus.Resolved,
        _ => null,
    };

    private static Proto.Severity ToProto(FindingSeverity severity) => severity switch
    {
        FindingSeverity.Info => Proto.Severity.Info,
        FindingSeverity.Warning => Proto.Severity.Warning,
        FindingSeverity.Critical => Proto.Severity.Critical,
        _ => Proto.Severity.Unspecified,
    };

    private static Proto.ActionType ToProto(ActionType action) => action switch
    {
        ActionType.Restart => Proto.ActionType.Restart,
        ActionType.ScaleOut => Proto.ActionType.ScaleOut,
        ActionType.Rollback => Proto.ActionType.Rollback,
        ActionType.Ignore => Proto.ActionType.Ignore,
        ActionType.Investigate => Proto.ActionType.Investigate,
        _ => Proto.ActionType.Unspecified,
    };

    private static Proto.Risk RiskOf(string risk) => risk.ToLowerInvariant() switch
    {
        "low" => Proto.Risk.Low,
        "medium" => Proto.Risk.Medium,
        "high" => Proto.Risk.High,
        _ => Proto.Risk.Unspecified,
    };

    private static Proto.Evidence ToProto(Evidence evidence)
    {
        var message = new Proto.Evidence { Type = evidence.Type, Reference = evidence.Reference };
        if (evidence.Observed is { } observed)
        {
            message.Observed = observed;
        }

        if (evidence.Expected is { } expected)
        {
            message.Expected = expected;
        }

        if (evidence.Detail is not null)
        {
            message.Detail = evidence.Detail;
        }

        return message;
    }

    private static Proto.TimelineEntry ToProto(TimelineEntry entry)
    {
        var message = new Proto.TimelineEntry { TimeUnixNano = entry.TimeUnixNano, Urn = entry.Urn, Kind = entry.Kind, Summary = entry.Summary };
        if (entry.FindingId is not null)
        {
            message.FindingId = entry.FindingId;
        }

        return message;
    }
}
