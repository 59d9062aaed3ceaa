using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Autopilot.Pipeline.Tests;

/// <summary>Listens to the pipeline's counters for one graph (by its name tag) and sums them.</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _sums = new();
    private readonly string _graph;

    public MetricsRecorder(string graph)
    {
        _graph = graph;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Autopilot.Pipeline")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Sum of an instrument, optionally only for one stage and one reason.</summary>
    public long Sum(string instrument, string? stage = null, string? reason = null) =>
        _sums.Where(kv => kv.Key.StartsWith(instrument + "|", StringComparison.Ordinal)
                && (stage is null || kv.Key.Contains("|stage=" + stage + "|", StringComparison.Ordinal))
                && (reason is null || kv.Key.Contains("|reason=" + reason + "|", StringComparison.Ordinal)))
            .Sum(kv => kv.Value);

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? graph = null;
        var key = instrument.Name + "|";
        foreach (var tag in tags)
        {
            if (tag.Key == "graph")
            {
                graph = tag.Value as string;
            }

            key += tag.Key + "=" + tag.Value + "|";
        }

        if (graph == _graph && instrument is Counter<long>)
        {
            _sums.AddOrUpdate(key, value, (_, old) => old + value);
        }
    }
}
