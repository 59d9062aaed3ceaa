using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Autopilot.Host.Telemetry;

/// <summary>
/// Serves the process's own <see cref="System.Diagnostics.Metrics"/> instruments (meters whose name
/// starts with <c>Autopilot</c>) in the Prometheus text exposition format 0.0.4. Counters are summed
/// per label set as measurements arrive; observable gauges are read at scrape time.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(Instrument Instrument, string Labels), double> _sums = new();
    private readonly object _scrapeGate = new();
    private Dictionary<(Instrument Instrument, string Labels), double>? _observed;

    public PrometheusExporter(string meterPrefix = "Autopilot")
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name.StartsWith(meterPrefix, StringComparison.Ordinal))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Renders every metric, sorted by name and label set so scrapes are stable.</summary>
    public string Scrape()
    {
        Dictionary<(Instrument Instrument, string Labels), double> observed;
        lock (_scrapeGate)
        {
            _observed = [];
            _listener.RecordObservableInstruments();
            observed = _observed;
            _observed = null;
        }

        var all = _sums.ToArray().Concat(observed)
            .GroupBy(kv => kv.Key.Instrument)
            .Select(g => (Name: MetricName(g.Key), Instrument: g.Key, Series: g.OrderBy(kv => kv.Key.Labels, StringComparer.Ordinal).ToList()))
            .OrderBy(m => m.Name, StringComparer.Ordinal);

        var sb = new StringBuilder();
        foreach (var (name, instrument, series) in all)
        {
            if (!string.IsNullOrEmpty(instrument.Description))
            {
                sb.Append("# HELP ").Append(name).Append(' ').Append(instrument.Description.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
            }

            sb.Append("# TYPE ").Append(name).Append(' ').Append(IsCounter(instrument) ? "counter" : "gauge").Append('\n');
            foreach (var ((_, labels), value) in series)
            {
                sb.Append(name);
                if (labels.Length > 0)
                {
                    sb.Append('{').Append(labels).Append('}');
                }

                sb.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return sb.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = Labels(tags);
        var observed = _observed;
        if (instrument.IsObservable && observed is not null)
        {
            observed[(instrument, labels)] = value;
            return;
        }

        if (instrument is Counter<long> or Counter<double> or Counter<int> or UpDownCounter<long> or UpDownCounter<double> or UpDownCounter<int>)
        {
            _sums.AddOrUpdate((instrument, labels), value, (_, old) => old + value);
        }
        else if (!instrument.IsObservable)
        {
            // Histograms and gauges set synchronously: keep the last value.
            _sums[(instrument, labels)] = value;
        }
    }

    private static bool IsCounter(Instrument instrument) =>
        instrument is Counter<long> or Counter<double> or Counter<int> or ObservableCounter<long> or ObservableCounter<double> or ObservableCounter<int>;

    private static string MetricName(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        return IsCounter(instrument) && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0)
        {
            return string.Empty;
        }

        var sorted = tags.ToArray();
        Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var sb = new StringBuilder();
        foreach (var tag in sorted)
        {
            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(Sanitize(tag.Key)).Append("=\"");
            foreach (var c in Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty)
            {
                switch (c)
                {
                    case '\\':
                        sb.Append("\\\\");
                        break;
                    case '"':
                        sb.Append("\\\"");
                        break;
                    case '\n':
                        sb.Append("\\n");
                        break;
                    default:
                        sb.Append(c);
                        break;
                }
            }

            sb.Append('"');
        }

        return sb.ToString();
    }

    private static string Sanitize(string name)
    {
        var sb = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (c == ':' && i > 0) ? c : '_');
        }

        if (sb.Length > 0 && char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }
}
