using System.Globalization;

namespace Autopilot.Agents.Validate;

/// <summary>
/// Judges the Kafka hop the validator itself drives: every message it delivered with a <c>traceparent</c> of its
/// own must be continued by a consumer span of the service, as the child of that context (same trace, parent =
/// the header's span id) or through a span link to it. One <c>message_headers</c> check per topic.
/// </summary>
internal static class KafkaContinuation
{
    private const int MaxTraceIds = 5;

    public static List<ValidationCheck> Evaluate(KafkaResult sent, TelemetrySnapshot seen)
    {
        var checks = new List<ValidationCheck>();
        foreach (var group in sent.Delivered.Where(d => d.TraceId is not null).GroupBy(d => d.Topic, StringComparer.Ordinal))
        {
            checks.Add(Topic(group.Key, [.. group], seen));
        }

        return checks;
    }

    private static ValidationCheck Topic(string topic, List<KafkaDelivery> messages, TelemetrySnapshot seen)
    {
        var name = $"message_headers:kafka {topic}";
        var label = $"hop validator → consumer of Kafka topic '{topic}' (over message headers)";
        var contexts = new HashSet<(string, string)>();
        foreach (var m in messages)
        {
            contexts.Add((m.TraceId!, m.SpanId!));
        }

        var continued = new HashSet<(string, string)>();
        var continuing = new List<CapturedSpan>();
        foreach (var span in seen.Spans)
        {
            var hit = span.ParentSpanId is { } parent && contexts.Contains((span.TraceId, parent))
                ? (span.TraceId, parent)
                : span.Links.Where(l => contexts.Contains((l.TraceId, l.SpanId))).Select(l => (l.TraceId, l.SpanId)).FirstOrDefault();
            if (hit.Item1 is not null && span.Kind == "consumer")
            {
                continued.Add(hit);
                continuing.Add(span);
            }
        }

        var sentIds = messages.Select(m => m.TraceId!).Distinct(StringComparer.Ordinal).Take(MaxTraceIds).ToList();
        if (continued.Count == messages.Count)
        {
            return new ValidationCheck(name, "message_headers", CheckStatus.Pass,
                string.Create(CultureInfo.InvariantCulture, $"{label}: all {messages.Count} message(s) the validator produced with a traceparent were continued by a consumer span ({Services(continuing)}), as its child or through a link."),
                new CheckEvidence(continuing.Select(s => s.TraceId).Distinct(StringComparer.Ordinal).Take(MaxTraceIds).ToList(), [.. continuing.Take(2).Select(s => s.ToSample())]));
        }

        // Why not: no consumer span at all, consumer spans in new traces, or a non-consumer span continuing it.
        var consumers = seen.Spans.Where(s => s.Kind == "consumer").ToList();
        var onTopic = consumers.Where(s => s.Attributes.TryGetValue("messaging.destination.name", out var d) && d == topic).ToList();
        var others = seen.Spans.Where(s => s.Kind != "consumer" && s.ParentSpanId is { } p && contexts.Contains((s.TraceId, p))).ToList();
        var message = string.Create(CultureInfo.InvariantCulture,
            $"{label}: trace context was not carried: only {continued.Count} of {messages.Count} message(s) the validator produced with a traceparent were continued by a consumer span.");
        if (consumers.Count == 0)
        {
            message += " No consumer span was received at all: create a span of kind consumer around the processing of each message.";
        }
        else
        {
            var sample = onTopic.Count > 0 ? onTopic : consumers;
            var roots = sample.Count(s => s.ParentSpanId is null && s.Links.Count == 0);
            message += string.Create(CultureInfo.InvariantCulture,
                $" {sample.Count} consumer span(s){(onTopic.Count > 0 ? $" on '{topic}'" : string.Empty)} arrived ({Services(sample)}); {roots} of them start a new trace without a link: the service did not extract the traceparent from the message headers.");
        }

        if (others.Count > 0)
        {
            message += $" {others.Count} span(s) of kind {string.Join("/", others.Select(o => o.Kind).Distinct())} continue it: make the span that processes a message kind consumer.";
        }

        message += " When consuming, extract the W3C traceparent from the message headers (a TextMapPropagator's Extract) and start the consumer span as its child or with a link to it.";
        var evidence = (onTopic.Count > 0 ? onTopic : consumers).Take(2).Select(s => s.ToSample()).ToList();
        return new ValidationCheck(name, "message_headers", CheckStatus.Fail, message, new CheckEvidence(sentIds, evidence));
    }

    private static string Services(IEnumerable<CapturedSpan> spans) =>
        string.Join(", ", spans.Select(s => $"'{s.Name}' of '{s.Service}'").Distinct(StringComparer.Ordinal).Take(3));
}
