using Autopilot.Ingest.Otlp;
using Autopilot.Ingest.Otlp.Json;
using Autopilot.Ingest.Otlp.Proto.Collector.Logs.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Collector.Trace.V1;
using Autopilot.Ingest.Otlp.Proto.Common.V1;
using Autopilot.Ingest.Otlp.Proto.Metrics.V1;
using Autopilot.Ingest.Otlp.Proto.Resource.V1;

namespace Autopilot.Ingest.Tests.Otlp;

/// <summary>A sample file decoded into one request (JSON Lines and multi-resource files merged), with counts.</summary>
internal sealed class DecodedFile
{
    public ExportTraceServiceRequest Traces { get; } = new();

    public ExportMetricsServiceRequest Metrics { get; } = new();

    public ExportLogsServiceRequest Logs { get; } = new();

    public int Containers => Traces.ResourceSpans.Count + Metrics.ResourceMetrics.Count + Logs.ResourceLogs.Count;

    public int Items
    {
        get
        {
            var n = 0;
            foreach (var rs in Traces.ResourceSpans)
            {
                foreach (var ss in rs.ScopeSpans)
                {
                    n += ss.Spans.Count;
                }
            }

            foreach (var rm in Metrics.ResourceMetrics)
            {
                foreach (var sm in rm.ScopeMetrics)
                {
                    foreach (var m in sm.Metrics)
                    {
                        n += DataPoints(m);
                    }
                }
            }

            foreach (var rl in Logs.ResourceLogs)
            {
                foreach (var sl in rl.ScopeLogs)
                {
                    n += sl.LogRecords.Count;
                }
            }

            return n;
        }
    }

    public IReadOnlyList<string> ServiceNames =>
        Traces.ResourceSpans.Select(r => r.Resource)
            .Concat(Metrics.ResourceMetrics.Select(r => r.Resource))
            .Concat(Logs.ResourceLogs.Select(r => r.Resource))
            .Select(ServiceName)
            .Where(s => s is not null)
            .Select(s => s!)
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    public static DecodedFile Load(string relativePath, string signal)
    {
        var bytes = OtlpTestData.Read(relativePath);
        var decoded = new DecodedFile();
        var isLines = relativePath.EndsWith(".jsonl", StringComparison.Ordinal);
        var isProtobuf = relativePath.EndsWith(".pb", StringComparison.Ordinal);
        switch (signal)
        {
            case "traces":
                if (isProtobuf)
                {
                    decoded.Traces.MergeFrom(OtlpProtobufDecoder.DecodeTraces(bytes));
                }
                else if (isLines)
                {
                    var list = new List<ExportTraceServiceRequest>();
                    OtlpJsonReader.ReadTracesLines(bytes, list);
                    list.ForEach(decoded.Traces.MergeFrom);
                }
                else
                {
                    decoded.Traces.MergeFrom(OtlpJsonReader.ReadTraces(bytes));
                }

                break;
            case "metrics":
                if (isProtobuf)
                {
                    decoded.Metrics.MergeFrom(OtlpProtobufDecoder.DecodeMetrics(bytes));
                }
                else if (isLines)
                {
                    var list = new List<ExportMetricsServiceRequest>();
                    OtlpJsonReader.ReadMetricsLines(bytes, list);
                    list.ForEach(decoded.Metrics.MergeFrom);
                }
                else
                {
                    decoded.Metrics.MergeFrom(OtlpJsonReader.ReadMetrics(bytes));
                }

                break;
            default:
                if (isProtobuf)
                {
                    decoded.Logs.MergeFrom(OtlpProtobufDecoder.DecodeLogs(bytes));
                }
                else if (isLines)
                {
                    var list = new List<ExportLogsServiceRequest>();
                    OtlpJsonReader.ReadLogsLines(bytes, list);
                    list.ForEach(decoded.Logs.MergeFrom);
                }
                else
                {
                    decoded.Logs.MergeFrom(OtlpJsonReader.ReadLogs(bytes));
                }

                break;
        }

        return decoded;
    }

    public static int DataPoints(Metric metric) => metric.DataCase switch
    {
        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Count,
        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Count,
        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Count,
        Metric.DataOneofCase.ExponentialHistogram => metric.ExponentialHistogram.DataPoints.Count,
        Metric.DataOneofCase.Summary => metric.Summary.DataPoints.Count,
        _ => 0,
    };

    private static string? ServiceName(Resource? resource) =>
        resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value?.StringValue;
}
