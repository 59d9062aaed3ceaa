using System.Text.Json.Serialization;

namespace Autopilot.Agents.Validate;

/// <summary>
/// What <c>autopilot validate</c> proved about one service: every expectation as a check with its evidence,
/// and the verdict. Serialized with <see cref="ValidationReportJson"/>; the wire shape is
/// <c>schemas/validation-report.schema.json</c> (draft-07), which the CI Gatekeeper reads.
/// </summary>
/// <param name="SchemaVersion">Version of the report format; "1".</param>
/// <param name="Service">The service under test (expect.yaml's <c>service</c>).</param>
/// <param name="Commit">HEAD of the git repository the command ran in; null outside a repository.</param>
/// <param name="Command">The command line that started the service.</param>
/// <param name="Verdict">PASS when no check failed, FAIL otherwise.</param>
/// <param name="Checks">Every check, in expectation order.</param>
/// <param name="Received">What reached the embedded receiver, by signal kind and service.</param>
/// <param name="Traffic">What was sent to the service.</param>
/// <param name="Timing">When it ran and how long each phase took.</param>
/// <param name="Receiver">Where the service was told to send telemetry.</param>
/// <param name="Process">How the service ended and its output tail; set when the verdict is FAIL, null otherwise.</param>
public sealed record ValidationReport(
    string SchemaVersion,
    string Service,
    string? Commit,
    string Command,
    Verdict Verdict,
    IReadOnlyList<ValidationCheck> Checks,
    ReceivedSummary Received,
    TrafficSummary Traffic,
    ValidationTiming Timing,
    ReceiverInfo Receiver,
    ServiceOutput? Process = null)
{
    public const string CurrentSchemaVersion = "1";
}

/// <summary>The overall outcome.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("PASS")]
    Pass,

    [JsonStringEnumMemberName("FAIL")]
    Fail,
}

/// <summary>The outcome of one check.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckStatus>))]
public enum CheckStatus
{
    [JsonStringEnumMemberName("pass")]
    Pass,

    [JsonStringEnumMemberName("fail")]
    Fail,

    /// <summary>Not run, with the reason in the message (e.g. the HTTP traffic check when traffic.yaml has no requests).</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,
}

/// <summary>One check: what was expected, whether it held, and the evidence either way.</summary>
/// <param name="Name">Stable, human-readable id, e.g. <c>span:server GET /orders/{id}</c>.</param>
/// <param name="Kind">span, attributes, propagation, message_headers, metric, lineage, traffic, readiness or telemetry.</param>
/// <param name="Status">pass, fail or skip.</param>
/// <param name="Message">What held, or what is wrong and what to do about it.</param>
/// <param name="Evidence">Trace ids and sample spans that support the message.</param>
public sealed record ValidationCheck(string Name, string Kind, CheckStatus Status, string Message, CheckEvidence Evidence);

/// <summary>Evidence for a check; both lists may be empty (e.g. nothing was received).</summary>
public sealed record CheckEvidence(IReadOnlyList<string> TraceIds, IReadOnlyList<SampleSpan> SampleSpans)
{
    public static readonly CheckEvidence None = new([], []);
}

/// <summary>A span as the receiver saw it (ids in lower-case hex, W3C sizes).</summary>
public sealed record SampleSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Service,
    string Name,
    string Kind,
    double DurationMs,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>Counts of what reached the receiver during the run.</summary>
public sealed record ReceivedSummary(long Spans, long MetricPoints, long Logs, long LineageEvents, IReadOnlyList<string> Services, IReadOnlyList<string> MetricNames);

/// <summary>Requests sent and how many of them got a non-2xx answer or no answer; Kafka messages the broker acknowledged.</summary>
public sealed record TrafficSummary(int RequestsSent, int RequestsFailed, int MessagesSent, IReadOnlyList<string> Notes);

/// <summary>Start and end (UTC) and the phases in milliseconds.</summary>
public sealed record ValidationTiming(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, long TotalMs, long ReadyMs, long TrafficMs, long CollectMs);

/// <summary>The embedded receiver's OTLP endpoint and protocol the service was given.</summary>
public sealed record ReceiverInfo(string OtlpEndpoint, string Protocol);
