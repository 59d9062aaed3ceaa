using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Quality;

/// <summary>
/// Error ratio per service URN per tumbling event-time window: spans with an error status or an HTTP
/// 5xx code over all spans. When the watermark passes a window's end, a window with enough spans and a
/// ratio at or above the threshold becomes a <c>dq.error_rate</c> finding, with sample trace ids as evidence.
/// </summary>
public sealed class ErrorRateEngine : Engine
{
    private const int SampleTraces = 3;
    private const int MaxPooled = 16_384;
    private readonly DataQualityOptions _options;
    private readonly long _window;
    private readonly Dictionary<string, List<Window>> _open = new(StringComparer.Ordinal);

    // Lists and windows of judged windows, reused: every URN opens a window per period, and allocating them anew
    // was most of what this engine allocated per span.
    private readonly Stack<List<Window>> _freeLists = new();
    private readonly Stack<Window> _freeWindows = new();
    private readonly List<string> _emptied = [];

    // The window a URN's last span counted in, by URN slot, in front of _open and the URN's list: most spans fall in
    // that same window, and reaching it this way touches one object instead of the list, its array and the window.
    // Judged windows are pooled and reused for other URNs, so the cache is cleared whenever a sweep judges any
    // (once per window period); between sweeps a cached window is still open and still the URN's.
    private readonly UrnCache<Window> _cache = new();

    // No window starts before this (a lower bound; long.MinValue after a restore): until the watermark passes its
    // end a watermark has nothing to judge, and the sweep over every URN is skipped.
    private long _earliestStart = long.MaxValue;

    public ErrorRateEngine(DataQualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _window = options.Window.Ticks * 100;
    }

    public override string Name => "dq.error_rate";

    public override bool Handles(SignalKind kind) => kind == SignalKind.Span;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        if (signal.Kind != SignalKind.Span || signal.TimeUnixNano <= 0)
        {
            return;
        }

        var start = signal.TimeUnixNano - (signal.TimeUnixNano % _window);
        if (start + _window <= context.Watermark)
        {
            return; // late: that window was already judged
        }

        var slot = context.SlotOf(signal.Urn);
        if (!_cache.TryGet(slot, signal.Urn, out var w) || w.Start != start)
        {
            w = WindowOf(signal.Urn, start);
            _cache.Set(slot, signal.Urn, w);
        }

        w.Total++;
        if (signal.Status == SignalStatus.Error || signal.StatusCode is >= 500 and < 600)
        {
            w.Errors++;
            if (w.Traces.Count < SampleTraces && !signal.TraceId.IsEmpty)
            {
                w.Traces.Add(signal.TraceId.ToString());
            }
        }
    }

    private Window WindowOf(string urn, long start)
    {
        if (!_open.TryGetValue(urn, out var windows))
        {
            windows = _freeLists.TryPop(out var free) ? free : [];
            _open.Add(urn, windows);
        }

        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Start == start)
            {
                return windows[i];
            }
        }

        var w = Rent(start);
        windows.Add(w);
        if (start < _earliestStart)
        {
            _earliestStart = start;
        }

        return w;
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        if (_earliestStart > watermarkUnixNano - _window)
        {
            return; // no window has ended yet
        }

        var earliest = long.MaxValue;
        var judged = false;
        var empty = _emptied;
        empty.Clear();
        foreach (var (urn, windows) in _open)
        {
            for (var i = windows.Count - 1; i >= 0; i--)
            {
                var w = windows[i];
                if (w.Start + _window > watermarkUnixNano)
                {
                    earliest = Math.Min(earliest, w.Start);
                    continue;
                }

                windows.RemoveAt(i);
                Judge(urn, w, context);
                Return(w);
                judged = true;
            }

            if (windows.Count == 0)
            {
                empty.Add(urn);
            }
        }

        if (judged)
        {
            _cache.Clear();
        }

        foreach (var urn in empty)
        {
            _open.Remove(urn, out var windows);
            if (_freeLists.Count < MaxPooled)
            {
                _freeLists.Push(windows!);
            }
        }

        _earliestStart = earliest;
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_open.Count);
        foreach (var (urn, windows) in _open)
        {
            writer.Write(urn);
            writer.Write(windows.Count);
            foreach (var w in windows)
            {
                writer.Write(w.Start);
                writer.Write(w.Total);
                writer.Write(w.Errors);
                writer.Write(w.Traces.Count);
                foreach (var t in w.Traces)
                {
                    writer.Write(t);
                }
            }
        }
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _open.Clear();
        _cache.Clear();
        var urns = reader.ReadInt32();
        for (var i = 0; i < urns; i++)
        {
            var urn = reader.ReadString();
            var count = reader.ReadInt32();
            var windows = new List<Window>(count);
            for (var j = 0; j < count; j++)
            {
                var w = new Window(reader.ReadInt64()) { Total = reader.ReadInt64(), Errors = reader.ReadInt64() };
                var traces = reader.ReadInt32();
                for (var k = 0; k < traces; k++)
                {
                    w.Traces.Add(reader.ReadString());
                }

                windows.Add(w);
            }

            _open[urn] = windows;
        }

        _earliestStart = long.MinValue; // the first watermark looks at everything restored
    }

    private void Judge(string urn, Window w, EngineContext context)
    {
        if (w.Total < _options.MinRequests)
        {
            return;
        }

        var ratio = (double)w.Errors / w.Total;
        if (ratio < _options.ErrorRateThreshold)
        {
            return;
        }

        var severity = ratio >= _options.CriticalErrorRate ? FindingSeverity.Critical : FindingSeverity.Warning;
        var evidence = new List<Evidence>
        {
            new("window", $"{w.Errors}/{w.Total} spans failed", ratio, _options.ErrorRateThreshold, $"window {_options.Window.TotalSeconds:0}s"),
        };
        foreach (var trace in w.Traces)
        {
            evidence.Add(new Evidence("trace", trace));
        }

        context.Emit(Finding.Create(Name, "dq.error_rate", urn, severity, ratio, w.Start, w.Start + _window, w.Start + _window,
            $"{ratio:P1} of {w.Total} spans failed ({w.Errors} errors) on {urn}", [.. evidence]));
    }

    private Window Rent(long start)
    {
        if (_freeWindows.TryPop(out var w))
        {
            w.Start = start;
            return w;
        }

        return new Window(start);
    }

    private void Return(Window w)
    {
        if (_freeWindows.Count < MaxPooled)
        {
            w.Total = 0;
            w.Errors = 0;
            w.Traces.Clear();
            _freeWindows.Push(w);
        }
    }

    private sealed class Window(long start)
    {
        public long Start { get; set; } = start;

        public long Total { get; set; }

        public long Errors { get; set; }

        public List<string> Traces { get; } = [];
    }
}
