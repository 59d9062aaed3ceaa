using System.Buffers.Binary;
using System.Globalization;
using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;
using Autopilot.Ingest.Otlp.Proto.Trace.V1;
using Autopilot.Ingest.Redaction;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Otlp.Normalization;

/// <summary>
/// Turns decoded OTLP requests into canonical signals, appended to a caller-owned list (see Otlp/README.md
/// "OTLP normalization" for the rules per item type). Hot path: index loops, no LINQ, no logging; keys,
/// names and URNs go through a bounded interner. Items that fail per-item validation are counted, not
/// emitted, so the receiver can answer OTLP partial success. Thread-safe: per-call state is local.
/// </summary>
internal sealed class OtlpNormalizer
{
    internal const double NanosPerMilli = 1_000_000d;

    private readonly StringInterner _interner;
    private readonly UrnAliases _aliases;

    // Metrics are redacted here, not by the decoder afterwards: the values a point's numbers are rendered to (count, sum,
    // min, max, quantiles) are measurements, not text a secret could be in. Null when no rule is active.
    private readonly Redactor? _redactor;

    public OtlpNormalizer(OtlpNormalizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _interner = new StringInterner(options.InternerCapacity, options.MaxInternedLength);
        _aliases = options.Aliases;
        _redactor = options.Redactor.Enabled ? options.Redactor : null;
    }

    // ---- traces ---------------------------------------------------------------------------------

    public OtlpNormalizeResult Normalize(ExportTraceServiceRequest request, List<Signal> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var builder = new AttributeBuilder(_interner);
        var tally = default(ItemTally);
        for (var r = 0; r < request.ResourceSpans.Count; r++)
        {
            var resourceSpans = request.ResourceSpans[r];
            var resource = ResolveResource(resourceSpans.Resource);
            for (var s = 0; s < resourceSpans.ScopeSpans.Count; s++)
            {
                var scopeSpans = resourceSpans.ScopeSpans[s];
                var scopeName = _interner.Intern(scopeSpans.Scope?.Name ?? string.Empty);
                for (var i = 0; i < scopeSpans.Spans.Count; i++)
                {
                    var span = scopeSpans.Spans[i];
                    if (ValidateSpan(span) is { } problem)
                    {
                        tally.Reject(problem, "span", r, s, i);
                        continue;
                    }

                    EmitSpan(span, resource, scopeName, builder, output);
                    tally.Accepted++;
                }
            }
        }

        return tally.Result;
    }

    private static string? ValidateSpan(Span span)
    {
        if (span.TraceId.Length != 16)
        {
            return $"trace id has {span.TraceId.Length} bytes, expected 16";
        }

        if (span.SpanId.Length != 8)
        {
            return $"span id has {span.SpanId.Length} bytes, expected 8";
        }

        TraceId.TryFromBytes(span.TraceId.Span, out var traceId);
        if (traceId.IsEmpty)
        {
            return "trace id is all zeros, which W3C trace context defines as invalid";
        }

        return BinaryPrimitives.ReadUInt64BigEndian(span.SpanId.Span) == 0
            ? "span id is all zeros, which W3C trace context defines as invalid"
            : null;
    }

    private void EmitSpan(Span span, in ResourceInfo resource, string scopeName, AttributeBuilder builder, List<Signal> output)
    {
        TraceId.TryFromBytes(span.TraceId.Span, out var traceId);
        var spanId = BinaryPrimitives.ReadUInt64BigEndian(span.SpanId.Span);
        var start = ToLong(span.StartTimeUnixNano);
        var durationMs = span.EndTimeUnixNano > span.StartTimeUnixNano ? (span.EndTimeUnixNano - span.StartTimeUnixNano) / NanosPerMilli : 0d;
        var status = ToStatus(span.Status);
        var kind = SpanKindText(span.Kind);

        builder.Reset();
        builder.AddAll(span.Attributes);
        var facts = builder.Facts;
        builder.Add("span.kind", kind);
        if (span.ParentSpanId.Length == 8)
        {
            builder.Add(Redactor.ParentIdKey, Convert.ToHexStringLower(span.ParentSpanId.Span));
        }

        if (!string.IsNullOrEmpty(span.Status?.Message))
        {
            builder.Add("status.message", span.Status.Message);
        }

        AddResourceAndScope(builder, resource, scopeName);
        var name = _interner.Intern(span.Name);
        var correlationId = facts.CorrelationId;
        output.Add(new Signal(SignalKind.Span, resource.ServiceUrn, start, traceId, spanId, correlationId, name, durationMs, status, facts.StatusCode, builder.Build()));

        if (facts.TopicSystem is { } system && facts.TopicName is { } destination)
        {
            builder.Reset();
            builder.Add("service", resource.ServiceUrn);
            builder.Add("span.kind", kind);
            builder.Add("messaging.system", system);
            builder.Add("messaging.destination.name", destination);
            var operation = _interner.Intern(facts.MessagingOperationName ?? MessagingOperationFromKind(span.Kind));
            var topicUrn = _interner.Intern(_aliases.Resolve(OtlpUrns.Topic(system, destination)));
            output.Add(new Signal(SignalKind.Record, topicUrn, start, traceId, spanId, correlationId, operation, 1, status, 0, builder.Build()));
        }

        if (facts.DatabaseSystem is { } dbSystem && facts.DatabaseTable is { } table)
        {
            var dbNamespace = facts.DatabaseNamespace;
            builder.Reset();
            builder.Add("service", resource.ServiceUrn);
            builder.Add("span.kind", kind);
            builder.Add("db.system", dbSystem);
            if (dbNamespace is not null)
            {
                builder.Add("db.namespace", dbNamespace);
            }

            builder.Add("db.collection.name", table);
            var operation = _interner.Intern(facts.DatabaseOperation ?? span.Name);
            var datasetUrn = _interner.Intern(_aliases.Resolve(OtlpUrns.Dataset(dbSystem, dbNamespace, table)));
            output.Add(new Signal(SignalKind.Record, datasetUrn, start, traceId, spanId, correlationId, operation, 1, status, 0, builder.Build()));
        }
    }

    // ---- metrics --------------------------------------------------------------------------------

    public OtlpNormalizeResult Normalize(ExportMetricsServiceRequest request, List<Signal> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var builder = new AttributeBuilder(_interner);
        var tally = default(ItemTally);
        for (var r = 0; r < request.ResourceMetrics.Count; r++)
        {
            var resourceMetrics = request.ResourceMetrics[r];
            var resource = ResolveResource(resourceMetrics.Resource);
            for (var s = 0; s < resourceMetrics.ScopeMetrics.Count; s++)
            {
                var scopeMetrics = resourceMetrics.ScopeMetrics[s];
                var scopeName = _interner.Intern(scopeMetrics.Scope?.Name ?? string.Empty);
                for (var m = 0; m < scopeMetrics.Metrics.Count; m++)
                {
                    var metric = scopeMetrics.Metrics[m];
                    var name = _interner.Intern(metric.Name);
                    var shownName = _redactor?.Redact(name) ?? name;
                    var context = new MetricContext(
                        shownName, _interner.Intern(metric.Unit), resource, scopeName, r, s, m, _redactor, !ReferenceEquals(shownName, name));
                    switch (metric.DataCase)
                    {
                        case Metric.DataOneofCase.Gauge:
                            NumberPoints(metric.Gauge.DataPoints, "gauge", null, null, context, builder, ref tally, output);
                            break;
                        case Metric.DataOneofCase.Sum:
                            NumberPoints(metric.Sum.DataPoints, "sum", TemporalityText(metric.Sum.AggregationTemporality), metric.Sum.IsMonotonic ? "true" : "false", context, builder, ref tally, output);
                            break;
                        case Metric.DataOneofCase.Histogram:
                            HistogramPoints(metric.Histogram, context, builder, ref tally, output);
                            break;
                        case Metric.DataOneofCase.ExponentialHistogram:
                            ExponentialPoints(metric.ExponentialHistogram, context, builder, ref tally, output);
                            break;
                        case Metric.DataOneofCase.Summary:
                            SummaryPoints(metric.Summary, context, builder, ref tally, output);
                            break;
                    }
                }
            }
        }

        return tally.Result;
    }

    private static void NumberPoints(
        Google.Protobuf.Collections.RepeatedField<NumberDataPoint> points,
        string type,
        string? temporality,
        string? monotonic,
        in MetricContext context,
        AttributeBuilder builder,
        ref ItemTally tally,
        List<Signal> output)
    {
        for (var p = 0; p < points.Count; p++)
        {
            var point = points[p];
            double value;
            switch (point.ValueCase)
            {
                case NumberDataPoint.ValueOneofCase.AsDouble:
                    value = point.AsDouble;
                    break;
                case NumberDataPoint.ValueOneofCase.AsInt:
                    value = point.AsInt;
                    break;
                default:
                    tally.RejectPoint($"metric '{context.Name}' data point has no value (neither asDouble nor asInt)", context.MetricIndex, context.ScopeIndex, context.ResourceIndex, p);
                    continue;
            }

            StartPoint(builder, point.Attributes, type, context);
            if (temporality is not null)
            {
                builder.Add("metric.temporality", temporality);
            }

            if (monotonic is not null)
            {
                builder.Add("metric.monotonic", monotonic);
            }

            Accept(MetricSignal(context, point.TimeUnixNano, value, builder), builder, ref tally, output);
        }
    }

    private static void HistogramPoints(Histogram histogram, in MetricContext context, AttributeBuilder builder, ref ItemTally tally, List<Signal> output)
    {
        var temporality = TemporalityText(histogram.AggregationTemporality);
        for (var p = 0; p < histogram.DataPoints.Count; p++)
        {
            var point = histogram.DataPoints[p];
            if (point.BucketCounts.Count != 0 && point.BucketCounts.Count != point.ExplicitBounds.Count + 1)
            {
                tally.RejectPoint(
                    $"metric '{context.Name}' histogram data point has {point.BucketCounts.Count} bucket counts for {point.ExplicitBounds.Count} explicit bounds (expected bounds + 1)",
                    context.MetricIndex,
                    context.ScopeIndex,
                    context.ResourceIndex,
                    p);
                continue;
            }

            StartPoint(builder, point.Attributes, "histogram", context);
            builder.Add("metric.temporality", temporality);
            var sum = point.HasSum ? point.Sum : 0;
            AddDistribution(builder, point.Count, point.HasSum, sum, point.HasMin, point.Min, point.HasMax, point.Max);
            builder.Add("p50", Format(Quantiles.Histogram(point, 0.50)));
            builder.Add("p95", Format(Quantiles.Histogram(point, 0.95)));
            builder.Add("p99", Format(Quantiles.Histogram(point, 0.99)));
            Accept(MetricSignal(context, point.TimeUnixNano, Mean(point.Count, sum), builder), builder, ref tally, output);
        }
    }

    private static void ExponentialPoints(ExponentialHistogram histogram, in MetricContext context, AttributeBuilder builder, ref ItemTally tally, List<Signal> output)
    {
        var temporality = TemporalityText(histogram.AggregationTemporality);
        for (var p = 0; p < histogram.DataPoints.Count; p++)
        {
            var point = histogram.DataPoints[p];
            StartPoint(builder, point.Attributes, "exponential_histogram", context);
            builder.Add("metric.temporality", temporality);
            var sum = point.HasSum ? point.Sum : 0;
            AddDistribution(builder, point.Count, point.HasSum, sum, point.HasMin, point.Min, point.HasMax, point.Max);
            builder.Add("p50", Format(Quantiles.Exponential(point, 0.50)));
            builder.Add("p95", Format(Quantiles.Exponential(point, 0.95)));
            builder.Add("p99", Format(Quantiles.Exponential(point, 0.99)));
            Accept(MetricSignal(context, point.TimeUnixNano, Mean(point.Count, sum), builder), builder, ref tally, output);
        }
    }

    private static void SummaryPoints(Summary summary, in MetricContext context, AttributeBuilder builder, ref ItemTally tally, List<Signal> output)
    {
        for (var p = 0; p < summary.DataPoints.Count; p++)
        {
            var point = summary.DataPoints[p];
            StartPoint(builder, point.Attributes, "summary", context);
            AddDistribution(builder, point.Count, true, point.Sum, false, 0, false, 0);
            builder.Add("p50", Format(Quantiles.Summary(point, 0.50)));
            builder.Add("p95", Format(Quantiles.Summary(point, 0.95)));
            builder.Add("p99", Format(Quantiles.Summary(point, 0.99)));
            Accept(MetricSignal(context, point.TimeUnixNano, Mean(point.Count, point.Sum), builder), builder, ref tally, output);
        }
    }

    private static void StartPoint(AttributeBuilder builder, Google.Protobuf.Collections.RepeatedField<KeyValue> attributes, string type, in MetricContext context)
    {
        builder.Reset();
        builder.AddAll(attributes);
        builder.Add("metric.type", type);
        if (context.Unit.Length != 0)
        {
            builder.Add("metric.unit", context.Unit);
        }

        AddResourceAndScope(builder, context.Resource, context.ScopeName);

        // Everything so far came from the sender (attributes, unit, resource, scope); what the point adds next is derived.
        builder.Redacted = context.NameRedacted | (context.Redactor is { } redactor && builder.RedactAll(redactor));
    }

    private static void Accept(in Signal signal, AttributeBuilder builder, ref ItemTally tally, List<Signal> output)
    {
        output.Add(signal);
        tally.Accepted++;
        tally.Redacted += builder.Redacted ? 1 : 0;
    }

    private static void AddDistribution(AttributeBuilder builder, ulong count, bool hasSum, double sum, bool hasMin, double min, bool hasMax, double max)
    {
        builder.Add("count", count.ToString(CultureInfo.InvariantCulture));
        if (hasSum)
        {
            builder.Add("sum", Format(sum));
        }

        if (hasMin)
        {
            builder.Add("min", Format(min));
        }

        if (hasMax)
        {
            builder.Add("max", Format(max));
        }
    }

    private static Signal MetricSignal(in MetricContext context, ulong timeUnixNano, double value, AttributeBuilder builder) =>
        new(SignalKind.Metric, context.Resource.ServiceUrn, ToLong(timeUnixNano), TraceId.Empty, 0, null, context.Name, value, SignalStatus.Unset, 0, builder.Build());

    private static double Mean(ulong count, double sum) => count == 0 ? 0 : sum / count;

    // ---- logs -----------------------------------------------------------------------------------

    public OtlpNormalizeResult Normalize(ExportLogsServiceRequest request, List<Signal> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var builder = new AttributeBuilder(_interner);
        var tally = default(ItemTally);
        for (var r = 0; r < request.ResourceLogs.Count; r++)
        {
            var resourceLogs = request.ResourceLogs[r];
            var resource = ResolveResource(resourceLogs.Resource);
            for (var s = 0; s < resourceLogs.ScopeLogs.Count; s++)
            {
                var scopeLogs = resourceLogs.ScopeLogs[s];
                var scopeName = _interner.Intern(scopeLogs.Scope?.Name ?? string.Empty);
                for (var i = 0; i < scopeLogs.LogRecords.Count; i++)
                {
                    var record = scopeLogs.LogRecords[i];
                    if (record.TraceId.Length is not (0 or 16))
                    {
                        tally.Reject($"trace id has {record.TraceId.Length} bytes, expected 16 or none", "log record", r, s, i);
                        continue;
                    }

                    if (record.SpanId.Length is not (0 or 8))
                    {
                        tally.Reject($"span id has {record.SpanId.Length} bytes, expected 8 or none", "log record", r, s, i);
                        continue;
                    }

                    EmitLog(record, resource, scopeName, builder, output);
                    tally.Accepted++;
                }
            }
        }

        return tally.Result;
    }

    private void EmitLog(LogRecord record, in ResourceInfo resource, string scopeName, AttributeBuilder builder, List<Signal> output)
    {
        TraceId.TryFromBytes(record.TraceId.Span, out var traceId);
        var spanId = record.SpanId.Length == 8 ? BinaryPrimitives.ReadUInt64BigEndian(record.SpanId.Span) : 0UL;
        var time = ToLong(record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano);
        var severity = (int)record.SeverityNumber;

        builder.Reset();
        builder.AddAll(record.Attributes);
        var facts = builder.Facts;
        if (record.SeverityText.Length != 0)
        {
            builder.Add("severity.text", _interner.Intern(record.SeverityText));
        }

        if (record.EventName.Length != 0)
        {
            builder.Add("event.name", _interner.Intern(record.EventName));
        }

        AddResourceAndScope(builder, resource, scopeName);
        var name = _interner.Intern(AnyValueText.Render(record.Body));
        var status = severity >= (int)SeverityNumber.Error ? SignalStatus.Error : SignalStatus.Unset;
        output.Add(new Signal(SignalKind.Log, resource.ServiceUrn, time, traceId, spanId, facts.CorrelationId, name, 1, status, severity, builder.Build()));
    }

    // ---- shared ---------------------------------------------------------------------------------

    private ResourceInfo ResolveResource(Resource? resource)
    {
        string? serviceName = null, environmentName = null, environment = null, serviceNamespace = null, version = null;
        if (resource is not null)
        {
            for (var i = 0; i < resource.Attributes.Count; i++)
            {
                var kv = resource.Attributes[i];
                switch (kv.Key)
                {
                    case "service.name":
                        serviceName = AnyValueText.Render(kv.Value);
                        break;
                    case "deployment.environment.name":
                        environmentName = AnyValueText.Render(kv.Value);
                        break;
                    case "deployment.environment":
                        environment = AnyValueText.Render(kv.Value);
                        break;
                    case "service.namespace":
                        serviceNamespace = AnyValueText.Render(kv.Value);
                        break;
                    case "service.version":
                        version = _interner.Intern(AnyValueText.Render(kv.Value));
                        break;
                }
            }
        }

        var env = OtlpUrns.Environment(key => key switch
        {
            "deployment.environment.name" => environmentName,
            "deployment.environment" => environment,
            _ => serviceNamespace,
        });
        var urn = _interner.Intern(_aliases.Resolve(OtlpUrns.Service(serviceName, env)));
        return new ResourceInfo(urn, string.IsNullOrEmpty(version) ? null : version);
    }

    private static void AddResourceAndScope(AttributeBuilder builder, in ResourceInfo resource, string scopeName)
    {
        if (resource.ServiceVersion is not null)
        {
            builder.Add("service.version", resource.ServiceVersion);
        }

        if (scopeName.Length != 0)
        {
            builder.Add("otel.scope.name", scopeName);
        }
    }

    internal static SignalStatus ToStatus(Status? status) => status?.Code switch
    {
        Status.Types.StatusCode.Error => SignalStatus.Error,
        Status.Types.StatusCode.Ok => SignalStatus.Ok,
        _ => SignalStatus.Unset,
    };

    internal static string SpanKindText(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Internal => "internal",
        Span.Types.SpanKind.Server => "server",
        Span.Types.SpanKind.Client => "client",
        Span.Types.SpanKind.Producer => "producer",
        Span.Types.SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    internal static string MessagingOperationFromKind(Span.Types.SpanKind kind) => kind switch
    {
        Span.Types.SpanKind.Producer => "publish",
        Span.Types.SpanKind.Consumer => "receive",
        Span.Types.SpanKind.Client => "send",
        _ => "process",
    };

    internal static string TemporalityText(AggregationTemporality temporality) => temporality switch
    {
        AggregationTemporality.Delta => "delta",
        AggregationTemporality.Cumulative => "cumulative",
        _ => "unspecified",
    };

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static long ToLong(ulong unixNano) => unixNano > long.MaxValue ? long.MaxValue : (long)unixNano;

    private readonly record struct ResourceInfo(string ServiceUrn, string? ServiceVersion);

    /// <param name="Name">The metric's name, redacted.</param>
    /// <param name="Unit">The metric's unit as sent (redacted with each point's attributes).</param>
    /// <param name="Resource">The resource the metric belongs to.</param>
    /// <param name="ScopeName">The instrumentation scope's name.</param>
    /// <param name="ResourceIndex">Where the metric is in the request, for error messages.</param>
    /// <param name="ScopeIndex">See <paramref name="ResourceIndex"/>.</param>
    /// <param name="MetricIndex">See <paramref name="ResourceIndex"/>.</param>
    /// <param name="Redactor">Applied to each point's attributes as sent; null when no rule is active.</param>
    /// <param name="NameRedacted">Whether redaction changed the name.</param>
    private readonly record struct MetricContext(
        string Name, string Unit, ResourceInfo Resource, string ScopeName, int ResourceIndex, int ScopeIndex, int MetricIndex, Redactor? Redactor, bool NameRedacted);
}
