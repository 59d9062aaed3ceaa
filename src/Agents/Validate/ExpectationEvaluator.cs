using System.Globalization;
using System.Text;

namespace Autopilot.Agents.Validate;

/// <summary>
/// Turns expect.yaml and what the receiver captured into checks, each with evidence and, when it fails, a reason
/// a developer can act on. Pure: the same snapshot gives the same checks, so the runner can evaluate while
/// telemetry is still arriving and stop waiting as soon as everything holds.
/// </summary>
internal static class ExpectationEvaluator
{
    private const int MaxTraceIds = 5;
    private const int MaxSamples = 3;

    public static List<ValidationCheck> Evaluate(ExpectationSet expect, TelemetrySnapshot seen, ReceiverInfo receiver)
    {
        var checks = new List<ValidationCheck>();
        var first = true;
        foreach (var service in ServicesOf(expect))
        {
            checks.Add(Telemetry(service, seen, receiver, first));
            first = false;
        }

        foreach (var span in expect.Spans)
        {
            var matches = seen.Spans.Where(span.Selector.Matches).ToList();
            checks.Add(SpanPresent(span, matches, seen));
            if (span.Attributes.Count > 0 || span.Values.Count > 0)
            {
                checks.Add(SpanAttributes(span, matches));
            }
        }

        foreach (var hop in expect.Propagation)
        {
            checks.Add(Propagation(hop, seen));
        }

        foreach (var metric in expect.Metrics)
        {
            checks.Add(Metric(metric, seen));
        }

        foreach (var lineage in expect.Lineage)
        {
            checks.Add(Lineage(lineage, seen));
        }

        return checks;
    }

    /// <summary>The services the expectations name, the service under test first.</summary>
    internal static List<string> ServicesOf(ExpectationSet expect)
    {
        var list = new List<string> { expect.Service };
        void Add(string? s)
        {
            if (s is not null && !list.Contains(s, StringComparer.Ordinal))
            {
                list.Add(s);
            }
        }

        foreach (var s in expect.Spans)
        {
            Add(s.Selector.Service);
        }

        foreach (var p in expect.Propagation)
        {
            Add(p.From.Service);
            Add(p.To.Service);
        }

        foreach (var m in expect.Metrics)
        {
            Add(m.Service);
        }

        return list;
    }

    private static ValidationCheck Telemetry(string service, TelemetrySnapshot seen, ReceiverInfo receiver, bool first)
    {
        var name = $"telemetry:{service}";
        var spans = seen.Spans.Where(s => s.Service == service).ToList();
        var points = seen.MetricPoints.Count(p => p.Service == service);
        var refused = seen.Refused.Count == 0 ? string.Empty : $" The receiver refused {seen.Refused.Count} request(s): {string.Join("; ", seen.Refused.Take(3))}.";
        if (spans.Count > 0 || points > 0)
        {
            return new ValidationCheck(name, "telemetry", CheckStatus.Pass,
                $"received {spans.Count} span(s) and {points} metric point(s) from service '{service}'.{refused}",
                new CheckEvidence(spans.Select(s => s.TraceId).Distinct().Take(MaxTraceIds).ToList(), []));
        }

        var services = seen.Services();
        string message;
        if (services.Count == 0 && seen.Lineage.Count == 0 && !first)
        {
            message = $"no spans received from service '{service}': nothing reached the receiver at all (see the first telemetry check).";
        }
        else if (services.Count == 0 && seen.Lineage.Count == 0)
        {
            message = $"no spans received from service '{service}', nor anything else: nothing reached the embedded receiver ({receiver.Protocol} at {receiver.OtlpEndpoint}). "
                + "Is the OpenTelemetry SDK initialised (a TracerProvider/MeterProvider with an OTLP exporter) and OTEL_EXPORTER_OTLP_ENDPOINT honoured? "
                + "An exporter configured in code with a fixed endpoint ignores the environment and sends elsewhere." + refused;
        }
        else if (services.Count == 0)
        {
            message = $"no spans or metrics received from service '{service}' (only OpenLineage events arrived): is the OpenTelemetry SDK initialised with an OTLP exporter that honours OTEL_EXPORTER_OTLP_ENDPOINT?" + refused;
        }
        else
        {
            var hint = services.Any(s => s.StartsWith("unknown_service", StringComparison.Ordinal))
                ? $" Telemetry without a service name arrived: set OTEL_SERVICE_NAME or the service.name resource attribute to '{service}'."
                : $" If one of them is this service, set its service.name resource attribute (or OTEL_SERVICE_NAME) to '{service}', or change expect.yaml.";
            message = $"no spans or metrics received from service '{service}'; telemetry arrived from {Quote(services)}.{hint}{refused}";
        }

        return new ValidationCheck(name, "telemetry", CheckStatus.Fail, message, CheckEvidence.None);
    }

    private static ValidationCheck SpanPresent(SpanExpectation expect, List<CapturedSpan> matches, TelemetrySnapshot seen)
    {
        var s = expect.Selector;
        var name = $"span:{Label(s)}";
        if (matches.Count >= expect.MinCount)
        {
            return new ValidationCheck(name, "span", CheckStatus.Pass,
                $"{matches.Count} {s.Describe()} received (at least {expect.MinCount} expected).",
                Evidence(matches));
        }

        var fromService = seen.Spans.Where(x => x.Service == s.Service).ToList();
        if (fromService.Count == 0)
        {
            return new ValidationCheck(name, "span", CheckStatus.Fail,
                $"no spans received from service '{s.Service}': is the OTel SDK initialised and OTEL_EXPORTER_OTLP_ENDPOINT honoured? Expected {expect.MinCount} {s.Describe()}.",
                CheckEvidence.None);
        }

        if (matches.Count > 0)
        {
            return new ValidationCheck(name, "span", CheckStatus.Fail,
                $"only {matches.Count} of {expect.MinCount} expected {s.Describe()} received: did every request succeed (see the traffic check), and did the exporter flush within the collect timeout (OTEL_BSP_SCHEDULE_DELAY, --collect-timeout)?",
                Evidence(matches));
        }

        var sb = new StringBuilder($"no {s.Describe()} received.");
        var otherKind = s.Name is null ? [] : fromService.Where(x => Glob.Matches(s.Name, x.Name)).ToList();
        if (otherKind.Count > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" Spans named '{s.Name}' arrived with kind {Quote(otherKind.Select(x => x.Kind).Distinct())}: create them with kind {s.Kind} (ActivityKind / SpanKind).");
        }

        var sameKind = s.Kind is null ? [] : fromService.Where(x => x.Kind == s.Kind).ToList();
        if (sameKind.Count > 0 && otherKind.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {Cap(s.Kind!)} spans of '{s.Service}' arrived named {Quote(sameKind.Select(x => x.Name).Distinct().Take(8))}: name them as expect.yaml says (semantic conventions: server spans '{{method}} {{route}}'), or fix expect.yaml.");
        }

        if (otherKind.Count == 0 && sameKind.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" Spans of '{s.Service}' that did arrive: {Quote(fromService.Select(x => $"{x.Kind} {x.Name}").Distinct().Take(8))}. Start a span of this kind around the code path the traffic exercises.");
        }

        var near = otherKind.Count > 0 ? otherKind : sameKind.Count > 0 ? sameKind : fromService;
        return new ValidationCheck(name, "span", CheckStatus.Fail, sb.ToString(), Evidence(near));
    }

    private static ValidationCheck SpanAttributes(SpanExpectation expect, List<CapturedSpan> matches)
    {
        var s = expect.Selector;
        var name = $"attributes:{Label(s)}";
        if (matches.Count == 0)
        {
            return new ValidationCheck(name, "attributes", CheckStatus.Skip, $"no {s.Describe()} to check attributes on (see the span check).", CheckEvidence.None);
        }

        var problems = new List<string>();
        var bad = new List<CapturedSpan>();
        foreach (var key in expect.Attributes)
        {
            var missing = matches.Where(m => !m.Attributes.ContainsKey(key)).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            var old = missing.SelectMany(m => SemanticConventions.OldNamesPresent(key, m.Attributes)).Distinct().ToList();
            problems.Add($"'{key}' missing on {missing.Count} of {matches.Count}"
                + (old.Count > 0 ? $" (found the deprecated {Quote(old)} instead: current semantic conventions name it '{key}'; update the instrumentation or rename the attribute)" : string.Empty));
            bad.AddRange(missing);
        }

        foreach (var (key, expected) in expect.Values)
        {
            var wrong = matches.Where(m => !m.Attributes.TryGetValue(key, out var v) || v != expected).ToList();
            if (wrong.Count == 0)
            {
                continue;
            }

            var values = wrong.Select(m => m.Attributes.TryGetValue(key, out var v) ? $"'{v}'" : "(absent)").Distinct().Take(5);
            problems.Add($"'{key}' should be '{expected}' but is {string.Join(", ", values)} on {wrong.Count} of {matches.Count}");
            bad.AddRange(wrong);
        }

        if (problems.Count == 0)
        {
            var keys = expect.Attributes.Concat(expect.Values.Keys).Distinct().ToList();
            return new ValidationCheck(name, "attributes", CheckStatus.Pass,
                $"all {matches.Count} {s.Describe()} carry {Quote(keys)}{(expect.Values.Count > 0 ? " with the expected values" : string.Empty)}.",
                new CheckEvidence(matches.Select(m => m.TraceId).Distinct().Take(MaxTraceIds).ToList(), [matches[0].ToSample()]));
        }

        return new ValidationCheck(name, "attributes", CheckStatus.Fail,
            $"{s.Describe()}: {string.Join("; ", problems)}. Set these attributes on the span (semantic-convention keys) where it is started or ended.",
            Evidence(bad.Distinct().ToList()));
    }

    private static ValidationCheck Propagation(PropagationExpectation hop, TelemetrySnapshot seen)
    {
        var kind = hop.ViaMessage ? "message_headers" : "propagation";
        var name = $"{kind}:{hop.Name}";
        var via = hop.ViaMessage ? "message headers" : "HTTP";
        var label = $"hop {hop.From.Service} → {hop.To.Service} ({hop.Name}, over {via})";
        var froms = seen.Spans.Where(hop.From.Matches).ToList();
        var tos = seen.Spans.Where(hop.To.Matches).ToList();
        var fix = hop.ViaMessage
            ? $"Inject the W3C traceparent into the message headers when producing (while the {hop.From.Kind ?? "producer"} span is current) and, when consuming, extract it and start the {hop.To.Kind ?? "consumer"} span as its child or with a link to it."
            : $"Inject the W3C traceparent header into the outgoing request while the {hop.From.Kind ?? "client"} span is current (a propagator's Inject, or HTTP client instrumentation), and in '{hop.To.Service}' extract it and start the {hop.To.Kind ?? "server"} span as its child.";
        if (froms.Count == 0 || tos.Count == 0)
        {
            var missing = froms.Count == 0 ? hop.From : hop.To;
            return new ValidationCheck(name, kind, CheckStatus.Fail,
                $"{label}: no {missing.Describe()} received, so the hop cannot be followed. Create that span around the {(missing == hop.From ? "sending" : "receiving")} code. {fix}",
                Evidence(froms.Count == 0 ? tos : froms));
        }

        var byId = new Dictionary<(string, string), CapturedSpan>();
        foreach (var f in froms)
        {
            byId[(f.TraceId, f.SpanId)] = f;
        }

        var carried = new List<(CapturedSpan From, CapturedSpan To)>();
        foreach (var t in tos)
        {
            if (t.ParentSpanId is { } parent && byId.TryGetValue((t.TraceId, parent), out var f))
            {
                carried.Add((f, t));
                continue;
            }

            if (hop.ViaMessage)
            {
                foreach (var link in t.Links)
                {
                    if (byId.TryGetValue((link.TraceId, link.SpanId), out var linked))
                    {
                        carried.Add((linked, t));
                        break;
                    }
                }
            }
        }

        if (carried.Count >= hop.MinCount)
        {
            var pair = carried[0];
            return new ValidationCheck(name, kind, CheckStatus.Pass,
                $"{label}: {carried.Count} of {tos.Count} {hop.To.Describe()} are {(hop.ViaMessage ? "children of, or linked to," : "children of")} a {hop.From.Describe()} in the same trace.",
                new CheckEvidence(
                    carried.Select(c => c.To.TraceId).Distinct().Take(MaxTraceIds).ToList(),
                    [pair.From.ToSample(), pair.To.ToSample()]));
        }

        if (carried.Count == tos.Count)
        {
            return new ValidationCheck(name, kind, CheckStatus.Fail,
                $"{label}: every {hop.To.Describe()} that arrived continues a trace of a {hop.From.Describe()}, but only {tos.Count} of the required {hop.MinCount} arrived: did the traffic cross the hop that often, and did the spans flush within the collect timeout?",
                new CheckEvidence(carried.Select(c => c.To.TraceId).Distinct().Take(MaxTraceIds).ToList(), [carried[0].From.ToSample(), carried[0].To.ToSample()]));
        }

        // Say how the context was lost: new traces, unknown parents, or the wrong parent in the right trace.
        var all = new Dictionary<(string, string), CapturedSpan>();
        foreach (var x in seen.Spans)
        {
            all[(x.TraceId, x.SpanId)] = x;
        }

        var connected = new HashSet<CapturedSpan>(carried.Select(c => c.To));
        var lost = tos.Where(t => !connected.Contains(t)).ToList();
        var roots = lost.Count(t => t.ParentSpanId is null);
        var unknownParent = lost.Count(t => t.ParentSpanId is { } p && !all.ContainsKey((t.TraceId, p)));
        var otherParent = lost.Where(t => t.ParentSpanId is { } p && all.ContainsKey((t.TraceId, p))).ToList();
        var fromTraces = new HashSet<string>(froms.Select(f => f.TraceId), StringComparer.Ordinal);
        var sb = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{label}: trace context was not carried: only {carried.Count} of the required {hop.MinCount} {hop.To.Describe()} continue a trace of a {hop.From.Describe()}."));
        if (roots > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {roots} of {tos.Count} start a new trace (no parent){(lost.Any(t => t.ParentSpanId is null && fromTraces.Contains(t.TraceId)) ? string.Empty : ", in traces that no " + hop.From.Describe() + " belongs to")}: the {(hop.ViaMessage ? "message" : "request")} arrived without a traceparent, or '{hop.To.Service}' did not extract it.");
        }

        if (unknownParent > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {unknownParent} have a parent span that was never received: the context came from a span that was not exported (sampled out, or from a caller outside this run).");
        }

        if (otherParent.Count > 0)
        {
            var parentNames = otherParent.Select(t => all[(t.TraceId, t.ParentSpanId!)]).Select(p => $"{p.Kind} '{p.Name}' of '{p.Service}'").Distinct().Take(3);
            sb.Append(CultureInfo.InvariantCulture, $" {otherParent.Count} are in the trace but their parent is {string.Join(", ", parentNames)}, not the {hop.From.Describe()}: inject the context while that span is current.");
        }

        if (hop.ViaMessage && lost.Any(t => t.Links.Count > 0))
        {
            sb.Append(" Some carry links, but not to a received " + hop.From.Describe() + ".");
        }

        sb.Append(' ').Append(fix);
        // Show the sender of the very message (same messaging.message.id) when there is one, else any.
        var orphan = lost[0];
        var sender = orphan.Attributes.TryGetValue("messaging.message.id", out var messageId)
            ? froms.Find(f => f.Attributes.TryGetValue("messaging.message.id", out var id) && id == messageId) ?? froms[0]
            : froms[0];
        var traceIds = new[] { sender.TraceId, orphan.TraceId }.Concat(froms.Select(f => f.TraceId)).Concat(lost.Select(t => t.TraceId)).Distinct().Take(MaxTraceIds).ToList();
        return new ValidationCheck(name, kind, CheckStatus.Fail, sb.ToString(), new CheckEvidence(traceIds, [sender.ToSample(), orphan.ToSample()]));
    }

    private static ValidationCheck Metric(MetricExpectation expect, TelemetrySnapshot seen)
    {
        var name = $"metric:{expect.Name}";
        var ofName = seen.MetricPoints.Where(p => p.Name == expect.Name).ToList();
        var points = ofName.Where(p => expect.Service is null || p.Service == expect.Service).ToList();
        var from = expect.Service is null ? string.Empty : $" from service '{expect.Service}'";
        if (seen.MetricPoints.Count == 0)
        {
            return new ValidationCheck(name, "metric", CheckStatus.Fail,
                $"metric '{expect.Name}' not received: no metrics arrived at all. Is a MeterProvider with the OTLP exporter set up, listening to the meter that records it, and exporting within the collect timeout (OTEL_METRIC_EXPORT_INTERVAL)?",
                CheckEvidence.None);
        }

        if (points.Count == 0)
        {
            var message = ofName.Count > 0
                ? $"metric '{expect.Name}' arrived from {Quote(ofName.Select(p => p.Service).Distinct())}, not{from}: check the service.name resource of the MeterProvider."
                : $"metric '{expect.Name}' not received{from}; metrics that did arrive: {Quote(seen.MetricPoints.Select(p => p.Name).Distinct().Take(12))}. Record it (semantic-convention name) on a meter the MeterProvider listens to.";
            return new ValidationCheck(name, "metric", CheckStatus.Fail, message, CheckEvidence.None);
        }

        if (points.Count < expect.MinPoints)
        {
            return new ValidationCheck(name, "metric", CheckStatus.Fail,
                $"only {points.Count} of {expect.MinPoints} expected data point(s) of '{expect.Name}'{from}: raise the collect timeout or shorten OTEL_METRIC_EXPORT_INTERVAL.",
                CheckEvidence.None);
        }

        if (expect.Attributes.Count > 0 && !points.Any(p => expect.Attributes.All(p.Attributes.ContainsKey)))
        {
            var keys = points.SelectMany(p => p.Attributes.Keys).Distinct().Where(k => k is not ("service.version" or "otel.scope.name")).ToList();
            var missing = expect.Attributes.Where(a => !points.Any(p => p.Attributes.ContainsKey(a))).ToList();
            return new ValidationCheck(name, "metric", CheckStatus.Fail,
                $"no data point of '{expect.Name}'{from} carries all of {Quote(expect.Attributes)}; never seen: {Quote(missing)}; keys seen: {Quote(keys)}. Add them as attributes (tags) when recording.",
                CheckEvidence.None);
        }

        return new ValidationCheck(name, "metric", CheckStatus.Pass,
            $"{points.Count} data point(s) of '{expect.Name}'{from}{(expect.Attributes.Count > 0 ? $" with {Quote(expect.Attributes)}" : string.Empty)}.",
            CheckEvidence.None);
    }

    private static ValidationCheck Lineage(LineageExpectation expect, TelemetrySnapshot seen)
    {
        var job = expect.Namespace is null ? expect.Job : $"{expect.Namespace}/{expect.Job}";
        var name = $"lineage:{job}";
        if (seen.Lineage.Count == 0)
        {
            return new ValidationCheck(name, "lineage", CheckStatus.Fail,
                $"no OpenLineage events received (expected job '{job}'): does the service's OpenLineage client honour OPENLINEAGE_URL (it should POST to $OPENLINEAGE_URL/api/v1/lineage), and does the traffic run the job?",
                CheckEvidence.None);
        }

        var events = seen.Lineage.Where(e => e.JobName is not null && Glob.Matches(expect.Job, e.JobName) && (expect.Namespace is null || e.JobNamespace == expect.Namespace)).ToList();
        if (events.Count == 0)
        {
            var jobs = seen.Lineage.Where(e => e.JobName is not null).Select(e => $"{e.JobNamespace}/{e.JobName}").Distinct().Take(8);
            return new ValidationCheck(name, "lineage", CheckStatus.Fail,
                $"no OpenLineage event for job '{job}'; events arrived for {Quote(jobs)}. Name the job as expect.yaml says, or fix expect.yaml.",
                CheckEvidence.None);
        }

        var counts = events.GroupBy(e => e.EventType ?? "(none)", StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var seenText = string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key} ×{c.Value}"));
        var short_ = expect.EventTypes.Count == 0
            ? (events.Count < expect.MinCount ? [$"{expect.MinCount} event(s)"] : [])
            : expect.EventTypes.Where(t => counts.GetValueOrDefault(t) < expect.MinCount).Select(t => $"{t} ×{expect.MinCount}").ToList();
        if (short_.Count > 0)
        {
            return new ValidationCheck(name, "lineage", CheckStatus.Fail,
                $"job '{job}': expected {string.Join(", ", short_)}, received {seenText}. Emit a START when a run begins and COMPLETE (or FAIL) when it ends, with the same runId.",
                CheckEvidence.None);
        }

        return new ValidationCheck(name, "lineage", CheckStatus.Pass, $"job '{job}': received {seenText}.", CheckEvidence.None);
    }

    private static CheckEvidence Evidence(List<CapturedSpan> spans) =>
        spans.Count == 0
            ? CheckEvidence.None
            : new CheckEvidence(
                spans.Select(s => s.TraceId).Distinct().Take(MaxTraceIds).ToList(),
                spans.Take(MaxSamples).Select(s => s.ToSample()).ToList());

    private static string Label(SpanSelector s) =>
        $"{s.Kind ?? "any"} {s.Name ?? "*"} @ {s.Service}";

    private static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
