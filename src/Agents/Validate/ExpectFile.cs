namespace Autopilot.Agents.Validate;

/// <summary>Reads expect.yaml (format in README, "Telemetry Validator").</summary>
internal static class ExpectFile
{
    private static readonly string[] RootKeys = ["service", "collectTimeout", "spans", "propagation", "metrics", "lineage"];
    private static readonly string[] SpanKeys = ["name", "kind", "service", "minCount", "attributes", "values"];
    private static readonly string[] PropagationKeys = ["name", "via", "from", "to", "minCount"];
    private static readonly string[] SelectorKeys = ["service", "kind", "name"];
    private static readonly string[] MetricKeys = ["name", "service", "attributes", "minPoints"];
    private static readonly string[] LineageKeys = ["job", "namespace", "eventTypes", "minCount"];
    private static readonly string[] EventTypes = ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"];

    public static ExpectationSet Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ValidationConfigException($"{path}: cannot read the expectations file: {e.Message}", e);
        }

        return Parse(System.IO.Path.GetFileName(path), text);
    }

    public static ExpectationSet Parse(string file, string text)
    {
        var root = YamlFields.Root(file, text, RootKeys);
        var service = root.String("service", required: true)!;
        var collect = root.Duration("collectTimeout", TimeSpan.FromMinutes(30));

        var spans = new List<SpanExpectation>();
        foreach (var s in root.Objects("spans", SpanKeys))
        {
            var selector = Selector(s, service);
            if (selector.Name is null && selector.Kind is null)
            {
                throw s.Error(s.PathOf("name"), "give a name or a kind (or both): which spans is this about?");
            }

            spans.Add(new SpanExpectation(selector, s.Int("minCount", 1, 1_000_000) ?? 1, s.Strings("attributes"), s.StringMap("values")));
        }

        var propagation = new List<PropagationExpectation>();
        foreach (var p in root.Objects("propagation", PropagationKeys))
        {
            var via = p.String("via") ?? "http";
            if (via is not ("http" or "message"))
            {
                throw p.Error(p.PathOf("via"), $"'{via}' is not one of http, message");
            }

            var from = Selector(p.Object("from", SelectorKeys, required: true)!, service);
            var to = Selector(p.Object("to", SelectorKeys, required: true)!, service);
            propagation.Add(new PropagationExpectation(
                p.String("name") ?? $"{from.Service} → {to.Service}",
                from,
                to,
                via == "message",
                p.Int("minCount", 1, 1_000_000) ?? 1));
        }

        var metrics = new List<MetricExpectation>();
        foreach (var m in root.Objects("metrics", MetricKeys))
        {
            metrics.Add(new MetricExpectation(m.String("name", required: true)!, m.String("service") ?? service, m.Strings("attributes"), m.Int("minPoints", 1, 1_000_000) ?? 1));
        }

        var lineage = new List<LineageExpectation>();
        foreach (var l in root.Objects("lineage", LineageKeys))
        {
            var types = l.Strings("eventTypes").Select(t => t.ToUpperInvariant()).ToList();
            foreach (var t in types)
            {
                if (!EventTypes.Contains(t, StringComparer.Ordinal))
                {
                    throw l.Error(l.PathOf("eventTypes"), $"'{t}' is not an OpenLineage event type ({string.Join(", ", EventTypes)})");
                }
            }

            lineage.Add(new LineageExpectation(l.String("job", required: true)!, l.String("namespace"), types, l.Int("minCount", 1, 1_000_000) ?? 1));
        }

        if (spans.Count + propagation.Count + metrics.Count + lineage.Count == 0)
        {
            throw root.Error("spans", "nothing to check: give at least one of spans, propagation, metrics, lineage");
        }

        return new ExpectationSet(service, collect, spans, propagation, metrics, lineage);
    }

    private static SpanSelector Selector(YamlFields fields, string defaultService)
    {
        var kind = fields.String("kind")?.ToLowerInvariant();
        if (kind is not null && !SpanSelector.Kinds.Contains(kind, StringComparer.Ordinal))
        {
            throw fields.Error(fields.PathOf("kind"), $"'{kind}' is not one of {string.Join(", ", SpanSelector.Kinds)}");
        }

        return new SpanSelector(fields.String("service") ?? defaultService, kind, fields.String("name"));
    }
}
