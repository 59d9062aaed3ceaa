using System.Globalization;
using Autopilot.Ingest.OpenLineage;
using Autopilot.Ingest.Signals;

namespace Autopilot.Agents.Validate;

/// <summary>
/// What the embedded receiver keeps for the checks: decoded spans (with parent ids, attributes and links),
/// metric points, log counts, OpenLineage events, and every refused request with its reason. Bounded: past
/// the caps items are counted as dropped, so a chatty service cannot exhaust memory. Thread-safe.
/// </summary>
internal sealed class TelemetryCapture
{
    private readonly object _gate = new();
    private readonly List<CapturedSpan> _spans = [];
    private readonly List<CapturedMetricPoint> _points = [];
    private readonly List<CapturedLineageEvent> _lineage = [];
    private readonly List<string> _refused = [];
    private readonly HashSet<string> _logServices = new(StringComparer.Ordinal);
    private readonly int _maxItems;
    private long _logs;
    private long _dropped;
    private int _version;

    public TelemetryCapture(int maxItems = 200_000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        _maxItems = maxItems;
    }

    /// <summary>Bumped on every change: a cheap way to tell whether re-evaluating could give another answer.</summary>
    public int Version => Volatile.Read(ref _version);

    public void AddSignals(IReadOnlyList<Signal> signals, IReadOnlyDictionary<(string TraceId, string SpanId), List<SpanLink>>? links)
    {
        var spans = new List<CapturedSpan>();
        var points = new List<CapturedMetricPoint>();
        var logServices = new List<string>();
        long logs = 0;
        for (var i = 0; i < signals.Count; i++)
        {
            var s = signals[i];
            switch (s.Kind)
            {
                case SignalKind.Span:
                    spans.Add(ToSpan(s, links));
                    break;
                case SignalKind.Metric:
                    points.Add(new CapturedMetricPoint(ServiceName(s.Urn), s.Name, Attributes(s.Attributes, metric: true)));
                    break;
                case SignalKind.Log:
                    logs++;
                    logServices.Add(ServiceName(s.Urn));
                    break;
            }
        }

        lock (_gate)
        {
            Append(_spans, spans);
            Append(_points, points);
            _logs += logs;
            foreach (var l in logServices)
            {
                _logServices.Add(l);
            }

            _version++;
        }
    }

    public void AddLineage(LineageEvent evt)
    {
        var outputs = new List<string>(evt.Outputs.Length);
        foreach (var o in evt.Outputs)
        {
            outputs.Add($"{o.Namespace}/{o.Name}");
        }

        var captured = new CapturedLineageEvent(evt.EventType, evt.Job?.Namespace, evt.Job?.Name, evt.Run?.RunId, outputs);
        lock (_gate)
        {
            Append(_lineage, [captured]);
            _version++;
        }
    }

    public void AddRefused(string reason)
    {
        lock (_gate)
        {
            // The first reasons say what is wrong; a flood of the same adds nothing but memory.
            if (_refused.Count < 50)
            {
                _refused.Add(reason);
            }
            else
            {
                _dropped++;
            }

            _version++;
        }
    }

    public TelemetrySnapshot Snapshot()
    {
        lock (_gate)
        {
            return new TelemetrySnapshot([.. _spans], [.. _points], _logs, [.. _logServices], [.. _lineage], [.. _refused], _dropped);
        }
    }

    private void Append<T>(List<T> into, List<T> items)
    {
        var room = Math.Max(0, _maxItems - into.Count);
        if (items.Count <= room)
        {
            into.AddRange(items);
            return;
        }

        into.AddRange(items.GetRange(0, room));
        _dropped += items.Count - room;
    }

    private static CapturedSpan ToSpan(in Signal s, IReadOnlyDictionary<(string, string), List<SpanLink>>? links)
    {
        var traceId = s.TraceId.ToString();
        var spanId = s.SpanId.ToString("x16", CultureInfo.InvariantCulture);
        IReadOnlyList<SpanLink> spanLinks = links is not null && links.TryGetValue((traceId, spanId), out var l) ? l : [];
        return new CapturedSpan(
            traceId,
            spanId,
            s.Attributes.Get("span.parent_id"),
            ServiceName(s.Urn),
            s.Name,
            s.Attributes.Get("span.kind") ?? "unspecified",
            s.Value,
            s.Status == SignalStatus.Error,
            Attributes(s.Attributes, metric: false),
            spanLinks);
    }

    /// <summary>The attributes as the service sent them: the decoder's own additions are left out.</summary>
    private static Dictionary<string, string> Attributes(SignalAttributes attributes, bool metric)
    {
        var result = new Dictionary<string, string>(attributes.Count, StringComparer.Ordinal);
        for (var i = 0; i < attributes.Count; i++)
        {
            var key = attributes.KeyAt(i);
            if (key is "span.kind" or "span.parent_id" || (metric && key.StartsWith("metric.", StringComparison.Ordinal)))
            {
                continue;
            }

            result[key] = attributes.ValueAt(i);
        }

        return result;
    }

    /// <summary>service.name from the service URN the decoder resolved (<c>urn:autopilot:service:&lt;env&gt;:&lt;name&gt;</c>).</summary>
    internal static string ServiceName(string urn) =>
        Urn.TryParse(urn, out var kind, out _, out var name) && kind == "service" ? name : urn;
}
