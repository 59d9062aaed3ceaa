using System.Text;
using System.Text.Json;
using Autopilot.Ingest.Receivers;

namespace Autopilot.Host.Replay;

/// <summary>
/// Splits recorded files into requests: OTLP JSON (both dialects, also wrapped), OTLP JSON Lines,
/// OTLP protobuf (signal from the file name: trace/span, metric, log) and OpenLineage events (one
/// object, an array, or JSON Lines). The signal of JSON input is told from its top-level keys.
/// </summary>
internal static class ReplayFiles
{
    public sealed record Request(string Origin, IngestSignal Signal, PayloadFormat Format, byte[] Body);

    /// <summary>File name endings replay reads; a directory given to replay contributes the files with these.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".json", ".jsonl", ".ndjson", ".pb", ".binpb", ".protobuf"];

    /// <summary>
    /// The files to replay, in the order given: a file as it is, a directory as the files under it (subdirectories
    /// included) whose names end in one of <see cref="Extensions"/>, in ordinal order of their paths.
    /// </summary>
    /// <exception cref="FileNotFoundException">A path is neither a file nor a directory, or a directory holds no such file.</exception>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (File.Exists(path))
            {
                files.Add(path);
            }
            else if (Directory.Exists(path))
            {
                var found = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (found.Count == 0)
                {
                    throw new FileNotFoundException($"no {string.Join(", ", Extensions)} file under the directory '{path}'", path);
                }

                files.AddRange(found);
            }
            else
            {
                throw new FileNotFoundException($"no such file or directory '{path}'", path);
            }
        }

        return files;
    }

    public static IReadOnlyList<Request> Read(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        var bytes = File.ReadAllBytes(path);
        if (name.EndsWith(".pb", StringComparison.Ordinal) || name.EndsWith(".binpb", StringComparison.Ordinal) || name.EndsWith(".protobuf", StringComparison.Ordinal))
        {
            var signal = name.Contains("metric", StringComparison.Ordinal) ? IngestSignal.Metrics
                : name.Contains("log", StringComparison.Ordinal) ? IngestSignal.Logs
                : name.Contains("trace", StringComparison.Ordinal) || name.Contains("span", StringComparison.Ordinal) ? IngestSignal.Traces
                : throw new InvalidRequestException($"{path}: cannot tell the signal of a protobuf file from its name; put trace, metric or log in it");
            return [new Request(path, signal, PayloadFormat.Protobuf, bytes)];
        }

        if (name.EndsWith(".jsonl", StringComparison.Ordinal) || name.EndsWith(".ndjson", StringComparison.Ordinal))
        {
            var requests = new List<Request>();
            var lineNumber = 0;
            foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n'))
            {
                lineNumber++;
                if (line.Trim().Length > 0)
                {
                    requests.Add(Classify($"{path}:{lineNumber}", Encoding.UTF8.GetBytes(line)));
                }
            }

            return requests;
        }

        using var document = Parse(path, bytes);
        if (document.RootElement.ValueKind == JsonValueKind.Array)
        {
            return [.. document.RootElement.EnumerateArray().Select((e, i) => Classify($"{path}[{i}]", Encoding.UTF8.GetBytes(e.GetRawText())))];
        }

        return [Classify(path, bytes)];
    }

    private static Request Classify(string origin, byte[] json)
    {
        using var document = Parse(origin, json);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out var wrapped) && wrapped.ValueKind == JsonValueKind.Object)
        {
            root = wrapped;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidRequestException($"{origin}: expected a JSON object (an OTLP request or an OpenLineage event)");
        }

        var signal = Has(root, "resourceSpans", "resource_spans", "scopeSpans") ? IngestSignal.Traces
            : Has(root, "resourceMetrics", "resource_metrics", "scopeMetrics") ? IngestSignal.Metrics
            : Has(root, "resourceLogs", "resource_logs", "scopeLogs") ? IngestSignal.Logs
            : Has(root, "eventTime", "run", "job", "dataset") ? IngestSignal.Lineage
            : throw new InvalidRequestException($"{origin}: neither an OTLP request (resourceSpans, resourceMetrics, resourceLogs) nor an OpenLineage event");
        return new Request(origin, signal, PayloadFormat.Json, json);
    }

    private static bool Has(JsonElement root, params string[] names) => names.Any(n => root.TryGetProperty(n, out _));

    private static JsonDocument Parse(string origin, byte[] json)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidRequestException($"{origin}: not valid JSON: {e.Message}");
        }
    }
}
