using System.Globalization;
using System.Text.RegularExpressions;

namespace Autopilot.Agents.Validate;

/// <summary>Reads traffic.yaml (format in README, "Telemetry Validator").</summary>
internal static partial class TrafficFile
{
    private static readonly string[] RootKeys = ["baseUrl", "readiness", "requests", "kafka"];
    private static readonly string[] ReadinessKeys = ["url", "path", "timeout", "interval", "status"];
    private static readonly string[] RequestKeys = ["name", "method", "path", "url", "headers", "body", "contentType", "repeat", "status", "timeout"];
    private static readonly string[] KafkaKeys = ["bootstrapServers", "timeout", "traceparent", "messages"];
    private static readonly string[] MessageKeys = ["topic", "key", "value", "headers", "repeat"];
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS" };

    public static TrafficPlan Load(string path)
    {
        var name = System.IO.Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ValidationConfigException($"{path}: cannot read the traffic file: {e.Message}", e);
        }

        return Parse(name, text);
    }

    public static TrafficPlan Parse(string file, string text)
    {
        var root = YamlFields.Root(file, text, RootKeys);
        var baseUrl = root.String("baseUrl", required: true)!.TrimEnd('/');
        if (!LooksLikeHttpUrl(baseUrl))
        {
            throw root.Error("baseUrl", $"'{baseUrl}' is not an http:// or https:// URL");
        }

        ReadinessProbe? readiness = null;
        if (root.Object("readiness", ReadinessKeys) is { } r)
        {
            var url = r.String("url") ?? r.String("path") ?? throw r.Error(r.PathOf("path"), "required: the path (or url) to poll");
            readiness = new ReadinessProbe(
                url,
                r.Duration("timeout", TimeSpan.FromMinutes(30)) ?? ReadinessProbe.DefaultTimeout,
                r.Duration("interval", TimeSpan.FromMinutes(1)) ?? ReadinessProbe.DefaultInterval,
                Statuses(r));
        }

        var requests = new List<TrafficRequest>();
        foreach (var q in root.Objects("requests", RequestKeys))
        {
            var method = (q.String("method") ?? "GET").ToUpperInvariant();
            if (!Methods.Contains(method))
            {
                throw q.Error(q.PathOf("method"), $"'{method}' is not one of {string.Join(", ", Methods)}");
            }

            if (q.Has("path") && q.Has("url"))
            {
                throw q.Error(q.PathOf("url"), "give either path (relative to baseUrl) or url, not both");
            }

            var url = q.String("path") ?? q.String("url") ?? throw q.Error(q.PathOf("path"), "required: the path (or url) to request");
            if (q.Has("url") && !LooksLikeHttpUrl(url))
            {
                throw q.Error(q.PathOf("url"), $"'{url}' is not an http:// or https:// URL; use path for a path relative to baseUrl");
            }

            requests.Add(new TrafficRequest(
                q.String("name") ?? $"{method} {url}",
                method,
                url,
                q.StringMap("headers"),
                q.String("body"),
                q.String("contentType"),
                q.Int("repeat", 1, 10_000) ?? 1,
                Statuses(q),
                q.Duration("timeout", TimeSpan.FromMinutes(10)) ?? TimeSpan.FromSeconds(30)));
        }

        if (requests.Count == 0 && !root.Has("kafka"))
        {
            throw root.Error("requests", "required: at least one request (or a kafka section)");
        }

        KafkaTraffic? kafka = null;
        if (root.Object("kafka", KafkaKeys) is { } k)
        {
            var bootstrap = k.String("bootstrapServers", required: true)!.Trim();
            var messages = new List<KafkaMessage>();
            foreach (var m in k.Objects("messages", MessageKeys))
            {
                var topic = m.String("topic", required: true)!;
                if (!TopicName().IsMatch(topic))
                {
                    throw m.Error(m.PathOf("topic"), $"'{topic}' is not a Kafka topic name (letters, digits, '.', '_', '-'; at most 249; ${{VAR}} allowed)");
                }

                messages.Add(new KafkaMessage(
                    topic,
                    m.String("key"),
                    m.String("value"),
                    m.StringMap("headers"),
                    m.Int("repeat", 1, 10_000) ?? 1));
            }

            if (messages.Count == 0)
            {
                throw k.Error(k.PathOf("messages"), "required: at least one message (topic, and optionally key, value, headers, repeat)");
            }

            kafka = new KafkaTraffic(
                bootstrap,
                k.Duration("timeout", TimeSpan.FromMinutes(5)) ?? KafkaTraffic.DefaultTimeout,
                k.Bool("traceparent") ?? true,
                messages);
        }

        return new TrafficPlan(baseUrl, readiness, requests, kafka);
    }

    private static List<int> Statuses(YamlFields fields)
    {
        var list = new List<int>();
        foreach (var s in fields.Strings("status"))
        {
            if (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 599)
            {
                throw fields.Error(fields.PathOf("status"), $"'{s}' is not an HTTP status code (100-599)");
            }

            list.Add(code);
        }

        return list;
    }

    // ${VAR} is filled in later from the service's environment, so only the scheme is checked here.
    private static bool LooksLikeHttpUrl(string url) =>
        url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^(?:[A-Za-z0-9._-]|\$\{[A-Za-z_][A-Za-z0-9_]*\}){1,249}$")]
    private static partial Regex TopicName();
}
