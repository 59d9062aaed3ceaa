using System.Diagnostics.Metrics;
using System.Globalization;

namespace Autopilot.Benchmarks.Engines;

/// <summary>
/// Sums <c>autopilot.engines.evictions</c> by engine while it lives, so a run says when an engine's cap is below the
/// stream's cardinality (its state then churns instead of learning, which changes what the run measures).
/// </summary>
internal sealed class EvictionCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _byEngine = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    public EvictionCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Autopilot.Engines" && instrument.Name == "autopilot.engines.evictions")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "engine" && tag.Value is string engine)
                {
                    lock (_gate)
                    {
                        _byEngine[engine] = _byEngine.GetValueOrDefault(engine) + value;
                    }
                }
            }
        });
        _listener.Start();
    }

    public void Print(double signals)
    {
        lock (_gate)
        {
            foreach (var (engine, count) in _byEngine.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"// evictions in the measured passes: {engine} {count:N0} ({count / signals:0.000} per signal)"));
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
