using System.Globalization;
using Autopilot.Engines.Findings;
using Autopilot.Engines.Hosting;
using Autopilot.Engines.Logs;
using Autopilot.Ingest.Signals;

namespace Autopilot.Engines.Anomaly;

/// <summary>
/// Log templates per service URN: one <see cref="LogTemplateMiner"/> per service (at most
/// <see cref="LogAnomalyOptions.MaxServices"/> services and <see cref="LogAnomalyOptions.MaxTemplatesPerShard"/> templates
/// in all, least recently seen services evicted). After a warm-up (<see cref="LogAnomalyOptions.WarmupLines"/> lines and
/// <see cref="LogAnomalyOptions.WarmupDuration"/> of event time), a line that founds a template raises
/// <c>log.new_template</c> (warning for error-level lines, else info; at most
/// <see cref="LogAnomalyOptions.MaxNewTemplatesPerWindow"/> per window). Lines are also counted per
/// template and error lines per service in tumbling event-time windows; when the watermark closes a
/// window, a count far above its EWMA baseline raises <c>log.spike</c>.
/// </summary>
public sealed class LogAnomalyEngine : Engine
{
    internal const string NewTemplateKind = "log.new_template";
    internal const string SpikeKind = "log.spike";
    private const int StateVersion = 1;
    private const int MaxOpenWindows = 4;
    private const int MaxZeroFill = 64;

    private readonly LogAnomalyOptions _options;
    private readonly LogTemplateMinerOptions _minerOptions;
    private readonly long _window;
    private readonly long _warmup;
    private readonly LruMap<Service> _services;
    private readonly List<int> _scratch = [];
    private readonly LogTokenCache _tokenCache = new();
    private Service? _spare;

    // Templates the services' miners hold together (each service remembers its share as last seen).
    private long _templates;

    // No open window starts before this (a lower bound; long.MinValue after a restore): windows are aligned to the
    // window length, so until the watermark passes its end there is nothing to judge and the sweep is skipped.
    private long _earliestStart = long.MaxValue;

    public LogAnomalyEngine(AnomalyOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Logs;
        _minerOptions = _options.MinerOptions();
        _window = _options.Window.Ticks * 100;
        _warmup = _options.WarmupDuration.Ticks * 100;
        _services = new LruMap<Service>(_options.MaxServices);
    }

    public override string Name => "anomaly.logs";

    public override bool Handles(SignalKind kind) => kind == SignalKind.Log;

    /// <summary>Services evicted so far to stay within <see cref="LogAnomalyOptions.MaxServices"/> and <see cref="LogAnomalyOptions.MaxTemplatesPerShard"/>.</summary>
    public long EvictedServices => _services.Evicted;

    /// <summary>Services kept.</summary>
    internal int Services => _services.Count;

    /// <summary>Templates kept by all services together (what <see cref="LogAnomalyOptions.MaxTemplatesPerShard"/> bounds).</summary>
    internal long Templates => _templates;

    /// <inheritdoc/>
    public override long Evictions => _services.Evicted;

    public override void OnSignal(in Signal signal, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (signal.Kind != SignalKind.Log || signal.TimeUnixNano <= 0 || signal.Name is null)
        {
            return;
        }

        if (!_services.TryGet(signal.Urn, out var service))
        {
            // With more services than the cap, every line of an evicted one evicts another: the evicted
            // service's state is reset and reused rather than a new miner built for each.
            service = _spare ?? new Service(signal.Urn, new LogTemplateMiner(_minerOptions, _tokenCache));
            _spare = null;
            service.Start(signal.Urn, signal.TimeUnixNano);
            _spare = _services.Add(signal.Urn, service);
            _templates -= _spare?.Templates ?? 0;
        }

        var match = service.Miner.Process(signal.Name);
        service.Lines++;
        var templates = service.Miner.TemplateCount;
        if (templates != service.Templates)
        {
            _templates += templates - service.Templates;
            service.Templates = templates;
            if (_templates > _options.MaxTemplatesPerShard)
            {
                EvictForTemplates();
            }
        }

        var start = signal.TimeUnixNano - (signal.TimeUnixNano % _window);
        if (start + _window <= context.Watermark)
        {
            return; // late: the template is learned, but its window was already judged
        }

        // With more windows open than lateness explains (a stalled watermark), lines are not counted and new
        // templates are not reported: without a window there is no per-window cap to keep them from flooding.
        var window = service.Open(start, MaxOpenWindows);
        if (window is null)
        {
            return;
        }

        if (start < _earliestStart)
        {
            _earliestStart = start;
        }

        var error = signal.Status == SignalStatus.Error;
        window.Counts[match.TemplateId] = window.Counts.GetValueOrDefault(match.TemplateId) + 1;
        if (error)
        {
            window.Errors++;
        }

        if (!match.IsNew || service.Lines <= _options.WarmupLines || signal.TimeUnixNano - service.FirstTime < _warmup)
        {
            return;
        }

        window.NewTemplates++;
        if (window.NewTemplates > _options.MaxNewTemplatesPerWindow)
        {
            return;
        }

        var summary = string.Create(CultureInfo.InvariantCulture, $"New log template on {signal.Urn}: \"{Shorten(match.Template)}\"");
        context.Emit(AnomalyFindings.Create(Name, NewTemplateKind, signal.Urn, "template " + match.TemplateId.ToString(CultureInfo.InvariantCulture),
            error ? FindingSeverity.Warning : FindingSeverity.Info, error ? 0.8 : 0.5, signal.TimeUnixNano, signal.TimeUnixNano, signal.TimeUnixNano, summary,
            new Evidence("log_template", match.Template, 1, 0, string.Create(CultureInfo.InvariantCulture, $"template {match.TemplateId}, first seen after {service.Lines} lines"))));
    }

    /// <summary>
    /// Evicts the least recently seen services until the shard's templates fit <see cref="LogAnomalyOptions.MaxTemplatesPerShard"/>.
    /// The service being processed is the most recent and holds at most <see cref="LogAnomalyOptions.MaxTemplatesPerService"/>
    /// templates, no more than the budget, so it is never reached. One evicted service is kept for reuse.
    /// </summary>
    private void EvictForTemplates()
    {
        while (_templates > _options.MaxTemplatesPerShard && _services.Count > 1 && _services.EvictOldest() is { } evicted)
        {
            _templates -= evicted.Templates;
            _spare ??= evicted;
        }
    }

    public override void OnWatermark(long watermarkUnixNano, EngineContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_earliestStart > watermarkUnixNano - _window)
        {
            return; // no window has ended yet
        }

        var earliest = long.MaxValue;
        for (var node = _services.Oldest; node != LruMap<Service>.None; node = _services.Newer(node))
        {
            var service = _services.ValueAt(node);
            while (service.TakeClosed(watermarkUnixNano, _window) is { } window)
            {
                Judge(service, window, context);
                service.Release(window);
            }

            foreach (var open in service.Windows)
            {
                earliest = Math.Min(earliest, open.Start);
            }
        }

        _earliestStart = earliest;
    }

    public override void WriteState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(StateVersion);
        _services.Write(writer, static (w, s) =>
        {
            var miner = s.Miner.Snapshot();
            w.Write(miner.Length);
            w.Write(miner);
            w.Write(s.Lines);
            w.Write(s.FirstTime);
            w.Write(s.LastClosed);
            WriteEwm(w, s.ErrorBaseline);
            w.Write(s.Stats.Count);
            foreach (var (id, stat) in s.Stats)
            {
                w.Write(id);
                WriteEwm(w, stat.Baseline);
            }

            w.Write(s.Windows.Count);
            foreach (var window in s.Windows)
            {
                w.Write(window.Start);
                w.Write(window.Errors);
                w.Write(window.NewTemplates);
                w.Write(window.Counts.Count);
                foreach (var (id, count) in window.Counts)
                {
                    w.Write(id);
                    w.Write(count);
                }
            }
        });
    }

    public override void ReadState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var version = reader.ReadInt32();
        if (version != StateVersion)
        {
            throw new InvalidDataException($"anomaly.logs state version {version} is not supported (expected {StateVersion}).");
        }

        _services.Read(reader, (r, urn) =>
        {
            var miner = LogTemplateMiner.Restore(r.ReadBytes(r.ReadInt32()), _minerOptions, _tokenCache);
            var service = new Service(urn, miner) { Templates = miner.TemplateCount, Lines = r.ReadInt64(), FirstTime = r.ReadInt64(), LastClosed = r.ReadInt64(), ErrorBaseline = ReadEwm(r) };
            var stats = r.ReadInt32();
            for (var i = 0; i < stats; i++)
            {
                var id = r.ReadInt32();
                service.Stats[id] = new TemplateStat { Baseline = ReadEwm(r) };
            }

            var windows = r.ReadInt32();
            for (var i = 0; i < windows; i++)
            {
                var window = new LogWindow(r.ReadInt64()) { Errors = r.ReadInt32(), NewTemplates = r.ReadInt32() };
                var counts = r.ReadInt32();
                for (var j = 0; j < counts; j++)
                {
                    window.Counts[r.ReadInt32()] = r.ReadInt32();
                }

                service.Windows.Add(window);
            }

            return service;
        });
        _templates = 0;
        for (var node = _services.Oldest; node != LruMap<Service>.None; node = _services.Newer(node))
        {
            _templates += _services.ValueAt(node).Templates;
        }

        // A snapshot taken under larger caps than these options' keeps its services; the budget applies from the next line.
        _earliestStart = long.MinValue; // the first watermark looks at everything restored
    }

    private void Judge(Service service, LogWindow window, EngineContext context)
    {
        // Windows in which the service logged nothing count as zeros in every baseline.
        var gap = service.LastClosed == long.MinValue ? 0 : Math.Min(MaxZeroFill, ((window.Start - service.LastClosed) / _window) - 1);
        service.LastClosed = window.Start;
        for (var i = 0; i < gap; i++)
        {
            service.ErrorBaseline.Add(0, _options.BaselineAlpha);
            foreach (var stat in service.Stats.Values)
            {
                stat.Baseline.Add(0, _options.BaselineAlpha);
            }
        }

        // Templates merged since the window opened count under their survivor.
        _scratch.Clear();
        foreach (var id in window.Counts.Keys)
        {
            if (service.Miner.ResolveId(id) != id)
            {
                _scratch.Add(id);
            }
        }

        foreach (var id in _scratch)
        {
            var survivor = service.Miner.ResolveId(id);
            window.Counts[survivor] = window.Counts.GetValueOrDefault(survivor) + window.Counts[id];
            window.Counts.Remove(id);
        }

        // Iterating ids in sorted order keeps findings in a deterministic order.
        _scratch.Clear();
        _scratch.AddRange(service.Stats.Keys);
        _scratch.Sort();
        foreach (var id in _scratch)
        {
            var stat = service.Stats[id];
            if (!service.Miner.TryGetTemplate(id, out var template))
            {
                service.Stats.Remove(id); // evicted or merged away
                service.Release(stat);
                continue;
            }

            var count = window.Counts.GetValueOrDefault(id);
            if (IsSpike(count, stat.Baseline))
            {
                EmitSpike(service, window, "template " + id.ToString(CultureInfo.InvariantCulture), template, count, stat.Baseline, false, context);
            }

            stat.Baseline.Add(count, _options.BaselineAlpha);
        }

        foreach (var (id, count) in window.Counts)
        {
            if (!service.Stats.ContainsKey(id) && service.Miner.TryGetTemplate(id, out _))
            {
                var stat = service.NewStat();
                stat.Baseline.Add(count, _options.BaselineAlpha);
                service.Stats[id] = stat;
            }
        }

        if (IsSpike(window.Errors, service.ErrorBaseline))
        {
            EmitSpike(service, window, "errors", "error-level log lines", window.Errors, service.ErrorBaseline, true, context);
        }

        service.ErrorBaseline.Add(window.Errors, _options.BaselineAlpha);
    }

    private bool IsSpike(long count, in Ewm baseline)
    {
        if (baseline.Count < _options.BaselineWindows || count < _options.MinSpikeCount)
        {
            return false;
        }

        var spread = Math.Max(Math.Max(baseline.StdDev, Math.Sqrt(Math.Max(baseline.Mean, 0))), 1.0);
        return count >= _options.SpikeRatio * baseline.Mean && count > baseline.Mean + (_options.SpikeSigmas * spread);
    }

    private void EmitSpike(Service service, LogWindow window, string series, string what, long count, in Ewm baseline, bool errors, EngineContext context)
    {
        var end = window.Start + _window;
        var score = Math.Clamp(1.0 - ((baseline.Mean + 1) / (count + 1)), 0, 1);
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"Log spike on {service.Urn}: {count} {(errors ? "error-level lines" : $"lines of \"{Shorten(what)}\"")} in {_options.Window.TotalSeconds:0}s against a baseline of {baseline.Mean:0.#}");
        context.Emit(AnomalyFindings.Create(Name, SpikeKind, service.Urn, series, errors ? FindingSeverity.Critical : FindingSeverity.Warning, score, window.Start, end, end, summary,
            new Evidence(errors ? "log_errors" : "log_template", what, count, baseline.Mean, string.Create(CultureInfo.InvariantCulture, $"{series}, window {_options.Window.TotalSeconds:0}s"))));
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : string.Concat(text.AsSpan(0, 157), "...");

    private static void WriteEwm(BinaryWriter w, in Ewm e)
    {
        w.Write(e.Mean);
        w.Write(e.Variance);
        w.Write(e.Count);
    }

    private static Ewm ReadEwm(BinaryReader r) => new() { Mean = r.ReadDouble(), Variance = r.ReadDouble(), Count = r.ReadInt64() };

    private sealed class TemplateStat
    {
        public Ewm Baseline;
    }

    private sealed class LogWindow(long start)
    {
        public long Start { get; set; } = start;

        public Dictionary<int, int> Counts { get; } = [];

        public int Errors { get; set; }

        public int NewTemplates { get; set; }
    }

    private sealed class Service(string urn, LogTemplateMiner miner)
    {
        public string Urn { get; private set; } = urn;

        public LogTemplateMiner Miner { get; } = miner;

        public long Lines { get; set; }

        /// <summary>The miner's template count as the engine last counted it into the shard's total.</summary>
        public int Templates { get; set; }

        public long FirstTime { get; set; }

        public long LastClosed { get; set; } = long.MinValue;

        public Dictionary<int, TemplateStat> Stats { get; } = [];

        // Windows and template statistics this service let go of, reused by it: an evicted service object is
        // started again for another URN, so reuse keeps a shard with more services than its cap from allocating
        // per line. Never more than the service held at once.
        private readonly Stack<LogWindow> _freeWindows = new();
        private readonly Stack<TemplateStat> _freeStats = new();

        public List<LogWindow> Windows { get; } = [];

        public Ewm ErrorBaseline;

        /// <summary>Makes this (new or evicted) service a fresh one for <paramref name="urn"/>.</summary>
        public void Start(string urn, long firstTime)
        {
            Urn = urn;
            Miner.Reset();
            Templates = 0;
            Lines = 0;
            FirstTime = firstTime;
            LastClosed = long.MinValue;
            foreach (var stat in Stats.Values)
            {
                Release(stat);
            }

            Stats.Clear();
            foreach (var window in Windows)
            {
                Release(window);
            }

            Windows.Clear();
            ErrorBaseline = default;
        }

        public TemplateStat NewStat()
        {
            if (_freeStats.TryPop(out var stat))
            {
                stat.Baseline = default;
                return stat;
            }

            return new TemplateStat();
        }

        public void Release(TemplateStat stat) => _freeStats.Push(stat);

        /// <summary>Keeps a judged or dropped window for reuse (at most the open-window cap of them are ever kept).</summary>
        public void Release(LogWindow window)
        {
            window.Counts.Clear();
            window.Errors = 0;
            window.NewTemplates = 0;
            _freeWindows.Push(window);
        }

                public LogWindow? Open(long start, int maxOpen)
        {
            foreach (var w in Windows)
            {
                if (w.Start == start)
                {
                    return w;
                }
            }

            if (Windows.Count >= maxOpen)
            {
                return null;
            }

            LogWindow window;
            if (_freeWindows.TryPop(out var free))
            {
                free.Start = start;
                window = free;
            }
            else
            {
                window = new LogWindow(start);
            }

            Windows.Add(window);
            return window;
        }

        public LogWindow? TakeClosed(long watermark, long length)
        {
            var at = -1;
            for (var i = 0; i < Windows.Count; i++)
            {
                if (Windows[i].Start + length <= watermark && (at < 0 || Windows[i].Start < Windows[at].Start))
                {
                    at = i;
                }
            }

            if (at < 0)
            {
                return null;
            }

            var w = Windows[at];
            Windows.RemoveAt(at);
            return w;
        }
    }
}
