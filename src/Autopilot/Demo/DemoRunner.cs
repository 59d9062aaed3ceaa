using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Autopilot.Engines.Incidents;
using Autopilot.Engines.State;
using Autopilot.Host.Hosting;
using Autopilot.Rca.Answers;
using Autopilot.Simulator;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Topology;

namespace Autopilot.Host.Demo;

/// <summary>
/// Runs <c>autopilot demo</c>: an Autopilot server in this process, the simulated shop sending it telemetry through
/// the OpenTelemetry SDK (<see cref="DemoScript"/>: a healthy backfill, then live traffic with the scripted faults),
/// a running commentary of what happens (each incident as it opens, explained by the server's RCA analyzer), a
/// summary comparing the incidents with the faults' ground truth, and a clean stop (simulation flushed, pipeline
/// drained, state checkpointed).
/// </summary>
internal sealed class DemoRunner
{
    /// <summary>How often the incidents are read from the server's store (an incident event also wakes the reader).</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>An incident is explained once it has been quiet this long (more findings of the same fault join within seconds)...</summary>
    private static readonly TimeSpan SettleQuiet = TimeSpan.FromSeconds(4);

    /// <summary>...and is at least this old; at this age it is explained anyway.</summary>
    private static readonly (TimeSpan Min, TimeSpan Max) SettleAge = (TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(20));

    private readonly DemoOptions _options;
    private readonly DemoTerminal _terminal;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, InjectedFault> _injected = [];
    private readonly Dictionary<string, TrackedIncident> _incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<int, (string IncidentId, long Timestamp)> _detected = [];
    private IReadOnlyList<PlannedFault> _plan = [];
    private SimulationProgress? _last;
    private long _liveStartedTimestamp;
    private long _liveStartUnixNano;
    private long _backfillStartedTimestamp;
    private DateTimeOffset? _backfillFrom;
    private Uri _dashboard = new("http://127.0.0.1/");

    public DemoRunner(DemoOptions options, DemoTerminal terminal)
    {
        _options = options;
        _terminal = terminal;
    }

    /// <summary>
    /// Runs the demo until its script ends (or, with <see cref="DemoOptions.KeepRunning"/>, until <paramref name="stop"/>
    /// fires after it), then stops everything cleanly. <paramref name="stop"/> firing earlier stops it cleanly too; the
    /// report then says <see cref="DemoReport.Interrupted"/>.
    /// </summary>
    /// <exception cref="DemoUsageException">A port the user chose is in use.</exception>
    public async Task<DemoReport> RunAsync(CancellationToken stop)
    {
        var topology = DemoTopology.Create();
        _plan = DemoPlan.Build(_options, topology);
        var temporary = _options.DataDirectory is null;
        var dataDirectory = _options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "autopilot-demo-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            var (server, serverOptions, notes) = await StartServerAsync(dataDirectory, stop).ConfigureAwait(false);
            try
            {
                return await RunWithServerAsync(server, serverOptions, notes, topology, dataDirectory, !temporary, stop).ConfigureAwait(false);
            }
            finally
            {
                _terminal.Status("stopping: draining the pipeline and checkpointing the engines' state", milestone: true);
                var stopping = Stopwatch.GetTimestamp();
                await server.App.StopAsync(CancellationToken.None).ConfigureAwait(false);
                await server.DisposeAsync().ConfigureAwait(false);
                _terminal.ClearStatus();
                _terminal.Line($"Stopped cleanly in {DemoFormat.Duration(Stopwatch.GetElapsedTime(stopping))}: pipeline drained, state checkpointed" +
                    (temporary ? "." : $" in {dataDirectory} (autopilot serve --data-dir {dataDirectory} serves it again)."));
            }
        }
        finally
        {
            if (temporary && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }
    }

    private async Task<DemoReport> RunWithServerAsync(AutopilotServer server, ServerOptions serverOptions, IReadOnlyList<string> notes, ShopTopology topology, string dataDirectory, bool kept, CancellationToken stop)
    {
        var (http, grpc) = (serverOptions.HttpPort, serverOptions.GrpcPort);
        _dashboard = new Uri($"http://127.0.0.1:{http}/");
        var t = _terminal;
        t.Line($"{t.Bold("Dashboard")}  {t.Cyan(_dashboard.ToString())}");
        t.Line();
        t.Line(t.Bold("Autopilot demo") + ": a simulated web shop (12 services, a Kafka topic, 7 tables, 2 batch jobs) sends its traces,");
        t.Line("metrics, logs (OpenTelemetry SDK, OTLP/HTTP) and OpenLineage events to an Autopilot server running in this process.");
        t.Line($"  OTLP        grpc 127.0.0.1:{grpc}, http 127.0.0.1:{http}");
        t.Line($"  data        {dataDirectory}{(kept ? string.Empty : " (temporary: deleted at exit; --data-dir keeps it)")}");
        foreach (var note in notes)
        {
            t.Line("  " + t.Yellow("note") + "        " + note);
        }

        if (_options.Open)
        {
            t.Line("  " + BrowserLauncher.Open(_dashboard));
        }

        t.Line();

        // Incident events wake the reader at once; the store stays the source of truth (a subscriber that falls behind is dropped).
        using var wake = new SemaphoreSlim(0, int.MaxValue);
        using var subscription = server.Runtime.LiveEvents.TrySubscribe();
        using var events = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var eventPump = subscription is null ? Task.CompletedTask : PumpEventsAsync(subscription, wake, events.Token);

        var simulator = new SimulatorOptions
        {
            Endpoint = _dashboard,
            Environment = _options.Environment,
            RequestsPerSecond = _options.RequestsPerSecond,
        };
        var script = new DemoScript(simulator, topology)
        {
            Seed = _options.Seed,
            Backfill = _options.Backfill,
            ProgressInterval = TimeSpan.FromSeconds(5),
        };
        foreach (var fault in _plan)
        {
            // With --keep-running the shop recovers afterwards: each fault is cleared when the scripted part could at the latest end.
            script.Inject(fault.Spec, fault.At, _options.KeepRunning ? _options.Duration + _options.Grace - fault.At : null);
        }

        t.Line($"{t.Bold("1. History")}  simulating {DemoFormat.Duration(_options.Backfill)} of healthy traffic up to now, as fast as the server takes it, so the detectors have baselines");
        _backfillStartedTimestamp = Stopwatch.GetTimestamp();
        using var simulation = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var progress = new Bench.SyncProgress<SimulationProgress>(OnProgress);
        var run = Task.Run(() => script.RunAsync(null, progress, simulation.Token), CancellationToken.None);

        var interrupted = false;
        var completed = false;
        DemoReport report;
        try
        {
            // The scripted part: until the live phase has run its duration and every injected fault has been found and
            // explained, or the grace period is over too.
            while (true)
            {
                if (run.IsCompleted)
                {
                    // The script only ends by itself when the server kept refusing the telemetry: that error surfaces here.
                    await run.ConfigureAwait(false);
                    throw new SimulationException("the simulation stopped on its own");
                }

                if (stop.IsCancellationRequested)
                {
                    interrupted = true;
                    break;
                }

                Observe(server, explainAll: false);
                await PrintSettledAsync(server, stop).ConfigureAwait(false);
                if (ScriptDone())
                {
                    break;
                }

                await WaitAsync(wake, stop).ConfigureAwait(false);
            }

            t.ClearStatus();
            if (!interrupted)
            {
                Observe(server, explainAll: true);
                await PrintSettledAsync(server, CancellationToken.None).ConfigureAwait(false);
            }

            report = await SummarizeAsync(server, dataDirectory, kept, interrupted).ConfigureAwait(false);
            PrintSummary(report);

            if (_options.KeepRunning && !interrupted)
            {
                t.Line();
                t.Line($"{t.Bold("Still running")} (--keep-running): traffic keeps flowing and the faults clear by themselves; the dashboard stays at {t.Cyan(_dashboard.ToString())}. Ctrl+C stops.");
                while (!stop.IsCancellationRequested && !run.IsCompleted)
                {
                    Observe(server, explainAll: false);
                    await PrintSettledAsync(server, stop).ConfigureAwait(false);
                    var elapsed = Stopwatch.GetElapsedTime(_liveStartedTimestamp);
                    t.Status($"live {DemoFormat.Clock(elapsed)} · {Counts()} · Ctrl+C stops");
                    await WaitAsync(wake, stop).ConfigureAwait(false);
                }
            }

            completed = true;
        }
        finally
        {
            t.ClearStatus();
            await events.CancelAsync().ConfigureAwait(false);
            await eventPump.ConfigureAwait(false);
            await simulation.CancelAsync().ConfigureAwait(false);
            if (!completed)
            {
                // Something failed above: the simulation still has to stop before the server does; its own error, if any, is secondary.
                try
                {
                    await run.ConfigureAwait(false);
                }
                catch (SimulationException)
                {
                    // Secondary: the exception already on its way out says what went wrong first.
                }
            }
        }

        // Cancellation is how a DemoScript stops: it flushes what was produced and returns what was sent.
        t.Status("stopping the simulated shop: flushing its telemetry", milestone: true);
        var stats = await run.ConfigureAwait(false);
        return report with { Traffic = Traffic(stats) };
    }

    private void OnProgress(SimulationProgress p)
    {
        var t = _terminal;
        lock (_gate)
        {
            _last = p;
        }

        switch (p.Phase)
        {
            case SimulationPhase.FastForward:
            {
                _backfillFrom ??= p.SimulatedTime;
                var total = _options.Backfill.TotalMinutes;
                var done = Math.Clamp((p.SimulatedTime - _backfillFrom.Value).TotalMinutes, 0, total);
                t.Status($"history {DemoTerminal.Bar(done / total)} {done,3:0}/{total:0} min · {DemoFormat.Count(p.Requests)} requests · {DemoFormat.Count(p.Spans)} spans",
                    milestone: (int)done / 10 != (int)Math.Max(0, done - 1) / 10 || done == 0);
                break;
            }

            case SimulationPhase.Live when _liveStartedTimestamp == 0:
            {
                var backfill = Stopwatch.GetElapsedTime(_backfillStartedTimestamp);
                lock (_gate)
                {
                    _liveStartedTimestamp = Stopwatch.GetTimestamp();
                    _liveStartUnixNano = ToUnixNano(p.SimulatedTime);
                }

                t.ClearStatus();
                t.Line($"   {t.Green("done")} in {DemoFormat.Duration(backfill)}: {DemoFormat.Count(p.Requests)} requests, {DemoFormat.Count(p.Spans)} spans, {DemoFormat.Count(p.LineageEvents)} lineage events");
                t.Line();
                var times = string.Join(", ", _plan.Select(f => $"+{DemoFormat.Clock(f.At)} {f.Name}"));
                t.Line($"{t.Bold("2. Live")}     {DemoFormat.Duration(_options.Duration)} of traffic on the wall clock; faults: {(_plan.Count == 0 ? "none" : times)}");
                t.Status(LiveStatus(), milestone: true);
                break;
            }

            case SimulationPhase.Live:
                t.Status(LiveStatus(), milestone: Stopwatch.GetElapsedTime(_liveStartedTimestamp).TotalSeconds % 30 < 5);
                break;

            case SimulationPhase.FaultInjected when p.Fault is not null:
            {
                var planned = _plan.FirstOrDefault(f => ReferenceEquals(f.Spec, p.Fault));
                if (planned is null)
                {
                    break;
                }

                var after = Stopwatch.GetElapsedTime(_liveStartedTimestamp);
                lock (_gate)
                {
                    _injected[planned.Number] = new InjectedFault(planned, ToUnixNano(p.SimulatedTime), after, Stopwatch.GetTimestamp());
                }

                t.Line($"  +{DemoFormat.Clock(after)}  {t.Yellow("fault #" + planned.Number)}  {FaultKinds.Name(planned.Spec.Kind)}: {planned.Spec.Description}");
                t.Line($"                   ground truth: {planned.Spec.RootUrn}");
                break;
            }

            case SimulationPhase.FaultCleared when p.Fault is not null:
            {
                var planned = _plan.FirstOrDefault(f => ReferenceEquals(f.Spec, p.Fault));
                if (planned is not null)
                {
                    t.Line($"  +{DemoFormat.Clock(Stopwatch.GetElapsedTime(_liveStartedTimestamp))}  fault #{planned.Number} cleared ({planned.Name}{(planned.Spec.Kind == FaultKind.DeployErrors ? ": rolled back" : string.Empty)})");
                }

                break;
            }
        }
    }

    private string LiveStatus()
    {
        var elapsed = Stopwatch.GetElapsedTime(_liveStartedTimestamp);
        var overtime = elapsed > _options.Duration ? $" (+{DemoFormat.Clock(elapsed - _options.Duration)}: waiting for the last faults' incidents)" : string.Empty;
        int injected, found;
        lock (_gate)
        {
            injected = _injected.Count;
            found = _detected.Count;
        }

        return $"live {DemoTerminal.Bar(elapsed / _options.Duration, 12)} {DemoFormat.Clock(elapsed)}/{DemoFormat.Clock(_options.Duration)}{overtime} · {Counts()} · faults {injected}/{_plan.Count} injected, {found} found";
    }

    private string Counts()
    {
        var p = _last;
        return p is null ? string.Empty : $"{DemoFormat.Count(p.Requests)} requests · {DemoFormat.Count(p.Spans)} spans";
    }

    /// <summary>Reads incidents and findings from the store: tracks new and changed incidents and which fault each belongs to.</summary>
    private void Observe(AutopilotServer server, bool explainAll)
    {
        var store = server.Runtime.Store;
        var incidents = store.QueryIncidents(new IncidentQuery(Limit: 10_000));
        var now = Stopwatch.GetTimestamp();
        foreach (var incident in incidents)
        {
            if (!_incidents.TryGetValue(incident.Id, out var tracked))
            {
                tracked = new TrackedIncident(incident.Id, now);
                _incidents[incident.Id] = tracked;
            }

            if (tracked.Incident is null || tracked.Incident.FindingIds.Count != incident.FindingIds.Count)
            {
                tracked.Changed = now;
            }

            tracked.Incident = incident;
            if (explainAll)
            {
                tracked.Due = true;
            }
        }

        List<InjectedFault> injected;
        lock (_gate)
        {
            injected = [.. _injected.Values.OrderBy(f => f.OnsetUnixNano)];
        }

        if (injected.Count == 0)
        {
            return;
        }

        var findings = store.QueryFindings(new FindingQuery(From: injected[0].OnsetUnixNano, Limit: 100_000));
        var byFault = FaultAttribution.Attribute(injected, findings, Distance(server));
        foreach (var fault in injected)
        {
            var (incident, _) = FaultAttribution.IncidentOf(byFault[fault.Fault.Number], incidents);
            if (incident is null)
            {
                continue;
            }

            var tracked = _incidents[incident.Id];
            tracked.Faults.Add(fault.Fault.Number);
            foreach (var finding in byFault[fault.Fault.Number])
            {
                tracked.FaultFindings.Add(finding.Id);
            }

            lock (_gate)
            {
                _detected.TryAdd(fault.Fault.Number, (incident.Id, now));
            }
        }
    }

    /// <summary>
    /// Explains each incident worth showing once its findings have settled: every incident that opened live, and any
    /// incident holding a fault's findings; again when another fault's findings join an incident already shown.
    /// </summary>
    private async Task PrintSettledAsync(AutopilotServer server, CancellationToken cancellationToken)
    {
        foreach (var tracked in _incidents.Values.OrderBy(i => i.Incident?.OpenedUnixNano ?? 0))
        {
            if (tracked.Incident is not { } incident)
            {
                continue;
            }

            var live = _liveStartUnixNano > 0 && incident.OpenedUnixNano >= _liveStartUnixNano;
            var joined = tracked.Faults.Where(f => !tracked.PrintedFaults.Contains(f)).Order().ToList();
            var update = tracked.Printed && joined.Count > 0;
            if (!(update || (!tracked.Printed && (live || tracked.Faults.Count > 0))))
            {
                continue;
            }

            var age = Stopwatch.GetElapsedTime(tracked.FirstSeen);
            var quiet = Stopwatch.GetElapsedTime(tracked.Changed);
            if (!tracked.Due && !(age >= SettleAge.Max || (age >= SettleAge.Min && quiet >= SettleQuiet)) && !(update && quiet >= SettleQuiet))
            {
                continue;
            }

            RcaAnswer? answer;
            try
            {
                answer = await server.Runtime.Rca.ExplainIncidentAsync(incident.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            PrintIncident(incident, answer, tracked, live, update ? joined : null);
            tracked.Printed = true;
            tracked.PrintedFaults.UnionWith(tracked.Faults);
        }
    }

    private void PrintIncident(Incident incident, RcaAnswer? answer, TrackedIncident tracked, bool live, List<int>? joined)
    {
        var t = _terminal;
        const string Indent = "         ";
        var when = _liveStartedTimestamp == 0 ? "     " : "+" + DemoFormat.Clock(Stopwatch.GetElapsedTime(_liveStartedTimestamp));
        var severity = incident.Severity.ToString().ToLowerInvariant();
        var paint = severity == "critical" ? (Func<string, string>)t.Red : t.Yellow;
        var opened = DateTimeOffset.UnixEpoch.AddTicks(incident.OpenedUnixNano / 100).ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        t.Line();
        if (joined is null)
        {
            // An incident still open from the history (warm-up alarms, false alarms within the correlation window) takes in
            // a fault's findings on related assets: say how much of it is the fault's, so its summary is read rightly.
            var joinedHistory = live ? string.Empty
                : $" (during the history: {incident.FindingIds.Count(tracked.FaultFindings.Contains)} of its {incident.FindingIds.Count} findings are the faults', which joined it)";
            t.Line($"  {when}  {paint(t.Bold("incident " + incident.Id))} {severity}, opened {opened}Z{joinedHistory}");
        }
        else
        {
            var names = string.Join(", ", joined.Select(n => $"fault #{n}"));
            t.Line($"  {when}  {paint(t.Bold("incident " + incident.Id))} {severity}: the findings of {names} joined it (related assets, within the correlation window)");
        }

        if (answer is null)
        {
            t.Line(Indent + "(the RCA analyzer has no answer for it)");
            return;
        }

        foreach (var line in Wrap(answer.Summary, 100))
        {
            t.Line(Indent + t.Dim(line));
        }

        for (var i = 0; i < Math.Min(3, answer.RootCauses.Count); i++)
        {
            var c = answer.RootCauses[i];
            var reason = c.Reasons.Count > 0 ? "  " + Clip(c.Reasons[0], 80) : string.Empty;
            t.Line($"{Indent}{(i == 0 ? "root cause" : "          ")}  {i + 1}. {(i == 0 ? t.Bold(c.Urn) : c.Urn)}  {DemoFormat.Percent(c.Score)}{reason}");
        }

        if (answer.Actions.Count > 0)
        {
            var a = answer.Actions[0];
            t.Line($"{Indent}action      {t.Bold(ActionName(a.Action))} {DemoFormat.Short(a.Target)} (risk {a.Risk}): {Clip(a.Rationale, 100)}");
        }

        t.Line($"{Indent}dashboard   {t.Cyan(IncidentUrl(incident.Id))}");
        foreach (var number in tracked.Faults.Order())
        {
            var fault = _plan.First(f => f.Number == number);
            var rank = answer.RootCauses.Select(c => c.Urn).ToList().IndexOf(fault.Spec.RootUrn) + 1;
            var verdict = rank == 1 ? t.Green("the top root cause is the injected one")
                : rank > 1 ? t.Yellow($"the injected root ({DemoFormat.Short(fault.Spec.RootUrn)}) is ranked #{rank}")
                : t.Red($"the injected root ({DemoFormat.Short(fault.Spec.RootUrn)}) is not among the root causes");
            t.Line($"{Indent}↳ fault #{number} ({fault.Name}): {verdict}");
        }
    }

    /// <summary>Breaks <paramref name="text"/> into lines of at most <paramref name="width"/> characters at spaces.</summary>
    internal static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        return lines;
    }

    private bool ScriptDone()
    {
        if (_liveStartedTimestamp == 0)
        {
            return false;
        }

        var elapsed = Stopwatch.GetElapsedTime(_liveStartedTimestamp);
        if (elapsed < _options.Duration)
        {
            return false;
        }

        if (elapsed >= _options.Duration + _options.Grace)
        {
            return true;
        }

        lock (_gate)
        {
            if (_injected.Count < _plan.Count)
            {
                return false;
            }

            foreach (var fault in _plan)
            {
                if (!_detected.TryGetValue(fault.Number, out var found) || !_incidents[found.IncidentId].PrintedFaults.Contains(fault.Number))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private async Task<DemoReport> SummarizeAsync(AutopilotServer server, string dataDirectory, bool kept, bool interrupted)
    {
        var store = server.Runtime.Store;
        var incidents = store.QueryIncidents(new IncidentQuery(Limit: 10_000));
        List<InjectedFault> injected;
        lock (_gate)
        {
            injected = [.. _injected.Values.OrderBy(f => f.OnsetUnixNano)];
        }

        var findings = injected.Count == 0 ? [] : store.QueryFindings(new FindingQuery(From: injected[0].OnsetUnixNano, Limit: 100_000));
        var byFault = FaultAttribution.Attribute(injected, findings, Distance(server));
        var results = new List<DemoFaultResult>();
        var faultIncidents = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fault in _plan)
        {
            var spec = fault.Spec;
            var done = injected.FirstOrDefault(i => i.Fault.Number == fault.Number);
            if (done is null)
            {
                results.Add(new DemoFaultResult(fault.Number, FaultKinds.Name(spec.Kind), spec.Target, spec.RootUrn, spec.Description, fault.At.TotalSeconds, false, null, null, null, 0, null, false));
                continue;
            }

            var mine = byFault[fault.Number];
            var (incident, _) = FaultAttribution.IncidentOf(mine, incidents);
            DemoIncidentResult? view = null;
            int? rank = null;
            double? after = null;
            if (incident is not null)
            {
                faultIncidents.Add(incident.Id);
                var answer = await server.Runtime.Rca.ExplainIncidentAsync(incident.Id).ConfigureAwait(false);
                view = View(incident, answer);
                var index = answer?.RootCauses.Select(c => c.Urn).ToList().IndexOf(spec.RootUrn) ?? -1;
                rank = index >= 0 ? index + 1 : null;
                lock (_gate)
                {
                    after = _detected.TryGetValue(fault.Number, out var d) ? Math.Round(Stopwatch.GetElapsedTime(done.InjectedTimestamp, d.Timestamp).TotalSeconds, 1) : null;
                }
            }

            results.Add(new DemoFaultResult(fault.Number, FaultKinds.Name(spec.Kind), spec.Target, spec.RootUrn, spec.Description, fault.At.TotalSeconds, true,
                DateTimeOffset.UnixEpoch.AddTicks(done.OnsetUnixNano / 100), view, after, mine.Count, rank, rank == 1));
        }

        var others = new List<DemoIncidentResult>();
        foreach (var incident in incidents.Where(i => !faultIncidents.Contains(i.Id)).OrderBy(i => i.OpenedUnixNano))
        {
            others.Add(View(incident, await server.Runtime.Rca.ExplainIncidentAsync(incident.Id).ConfigureAwait(false)));
        }

        var live = _liveStartedTimestamp == 0 ? 0 : Math.Round(Stopwatch.GetElapsedTime(_liveStartedTimestamp).TotalSeconds, 1);
        return new DemoReport(_dashboard.ToString(), dataDirectory, kept, _options.Seed, _options.Backfill.TotalSeconds, live, _options.Environment,
            new DemoTraffic(0, 0, 0, 0, 0, 0, 0, 0), results, others,
            results.Count(r => r.Injected), results.Count(r => r.Incident is not null), results.Count(r => r.Top1), interrupted);
    }

    private DemoIncidentResult View(Incident incident, RcaAnswer? answer) => new(
        incident.Id,
        IncidentUrl(incident.Id),
        incident.Severity.ToString().ToLowerInvariant(),
        incident.Status.ToString().ToLowerInvariant(),
        DateTimeOffset.UnixEpoch.AddTicks(incident.OpenedUnixNano / 100),
        _liveStartUnixNano > 0 && incident.OpenedUnixNano >= _liveStartUnixNano ? "live" : "backfill",
        incident.FindingIds.Count,
        incident.AffectedUrns,
        answer?.Summary,
        answer is null ? [] : [.. answer.RootCauses.Select(c => new DemoRootCause(c.Urn, Math.Round(c.Score, 3), c.Reasons.Count > 0 ? c.Reasons[0] : null))],
        answer?.Actions.Count > 0 ? new DemoAction(ActionName(answer.Actions[0].Action).ToLowerInvariant(), answer.Actions[0].Target, answer.Actions[0].Risk, answer.Actions[0].Rationale) : null,
        answer?.Explainer);

    private void PrintSummary(DemoReport report)
    {
        var t = _terminal;
        t.Line();
        t.Line($"{t.Bold("3. Summary")}  {report.Injected} fault(s) injected, {report.Detected} found, top root cause right for {report.Top1Correct}{(report.Interrupted ? " (interrupted)" : string.Empty)}");
        var table = new Commands.OnCall.TextTable("#", "FAULT", "AT", "INCIDENT", "FOUND AFTER", "TOP ROOT CAUSE", "TOP-1");
        foreach (var f in report.Faults)
        {
            var top = f.Incident is { RootCauses.Count: > 0 } i ? i.RootCauses[0] : null;
            var verdict = !f.Injected ? "-" : f.Incident is null ? "no (not found)" : f.Top1 ? "yes" : f.RootRank is { } r ? $"no (truth ranked #{r})" : "no (truth not ranked)";
            table.Add(
                f.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                f.Kind + " " + f.Target,
                "+" + DemoFormat.Clock(TimeSpan.FromSeconds(f.ScheduledAtSeconds)),
                !f.Injected ? "not injected" : f.Incident?.Id ?? "none",
                f.DetectedAfterSeconds is { } s ? DemoFormat.Duration(TimeSpan.FromSeconds(Math.Round(s))) : "-",
                top is null ? "-" : $"{DemoFormat.Short(top.Urn)} ({DemoFormat.Percent(top.Score)})",
                verdict);
        }

        var lines = new StringWriter();
        table.WriteAsync(lines).GetAwaiter().GetResult();
        foreach (var line in lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            t.Line("  " + line.TrimEnd('\r'));
        }

        var backfill = report.OtherIncidents.Count(i => i.Phase == "backfill");
        var live = report.OtherIncidents.Count - backfill;
        t.Line($"  Other incidents: {backfill} opened during the history (detectors warming up), {live} during the live phase not caused by a scripted fault.");
        t.Line($"  Incidents, root causes and the asset graph: {t.Cyan(_dashboard.ToString())}");
    }

    private static DemoTraffic Traffic(SimulationStats s) =>
        new(s.Requests, s.FailedRequests, s.Spans, s.Logs, s.MetricPoints, s.LineageEvents, s.ExportRequests, s.ExportFailures);

    private string IncidentUrl(string id) => _dashboard + "#/incidents/" + Uri.EscapeDataString(id);

    private static Func<string, string, int> Distance(AutopilotServer server)
    {
        var graph = server.Runtime.Graph;
        return (root, urn) =>
        {
            for (var hops = 1; hops <= 5; hops++)
            {
                if (graph.WithinHops(root, hops).Contains(urn))
                {
                    return hops;
                }
            }

            return int.MaxValue;
        };
    }

    private static string ActionName(ActionType action) => action == ActionType.ScaleOut ? "SCALE_OUT" : action.ToString().ToUpperInvariant();

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static long ToUnixNano(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static async Task WaitAsync(SemaphoreSlim wake, CancellationToken stop)
    {
        try
        {
            await wake.WaitAsync(PollInterval, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The loop sees the stop and ends.
        }
    }

    private static async Task PumpEventsAsync(Autopilot.Engines.Events.EventSubscription subscription, SemaphoreSlim wake, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (e.Type.StartsWith("autopilot.incident.", StringComparison.Ordinal))
                {
                    wake.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Starts the server on the requested ports, or on free ones when a default port is taken.</summary>
    private async Task<(AutopilotServer Server, ServerOptions Options, IReadOnlyList<string> Notes)> StartServerAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var http = Port(_options.HttpPort, _options.HttpPortExplicit, "--http-port", notes);
        var grpc = Port(_options.GrpcPort, _options.GrpcPortExplicit, "--grpc-port", notes, avoid: http);
        for (var attempt = 1; ; attempt++)
        {
            var options = new ServerOptions { HttpPort = http, GrpcPort = grpc, DataDirectory = dataDirectory };

            // The server's own logs (warnings and errors only) go to stderr, so stdout keeps the commentary or the JSON.
            var server = await AutopilotServer.CreateAsync(options,
                ["--Logging:LogLevel:Default=Warning", "--Logging:Console:LogToStandardErrorThreshold=Trace"],
                host => host.Services.AddSingleton<IHostLifetime, CallerLifetime>(), cancellationToken).ConfigureAwait(false);
            try
            {
                await server.App.StartAsync(cancellationToken).ConfigureAwait(false);
                return (server, options, notes);
            }
            catch (IOException e) when (!_options.HttpPortExplicit && !_options.GrpcPortExplicit && attempt < 3)
            {
                // Taken between the check and the bind: try two other free ports.
                await server.DisposeAsync().ConfigureAwait(false);
                notes.Add($"{e.Message}; retrying on other free ports");
                http = InProcessServer.FreePort();
                grpc = FreePortOtherThan(http);
            }
            catch (IOException e)
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw new DemoUsageException($"cannot listen on 127.0.0.1:{http} and 127.0.0.1:{grpc}: {e.Message}; choose other ports with --http-port and --grpc-port (0 picks a free one)");
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static int Port(int requested, bool chosen, string flag, List<string> notes, int avoid = -1)
    {
        if (requested == 0)
        {
            return FreePortOtherThan(avoid);
        }

        if (IsFree(requested) && requested != avoid)
        {
            return requested;
        }

        if (chosen)
        {
            throw new DemoUsageException($"{flag} {requested}: the port is in use (is autopilot serve running?); choose another with {flag}, or {flag} 0 for a free one");
        }

        var port = FreePortOtherThan(avoid);
        notes.Add($"port {requested} is in use (is autopilot serve running?), so {flag[2..]} {port} is used instead");
        return port;
    }

    private static int FreePortOtherThan(int avoid)
    {
        while (true)
        {
            var port = InProcessServer.FreePort();
            if (port != avoid)
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>What the commentary knows about one incident.</summary>
    private sealed class TrackedIncident(string id, long firstSeen)
    {
        public string Id { get; } = id;

        public long FirstSeen { get; } = firstSeen;

        public long Changed { get; set; } = firstSeen;

        public Incident? Incident { get; set; }

        /// <summary>Faults whose incident this is (by <see cref="PlannedFault.Number"/>).</summary>
        public HashSet<int> Faults { get; } = [];

        public bool Printed { get; set; }

        /// <summary>Ids of the findings attributed to <see cref="Faults"/>.</summary>
        public HashSet<string> FaultFindings { get; } = new(StringComparer.Ordinal);

        /// <summary>Faults shown with it when it was last printed.</summary>
        public HashSet<int> PrintedFaults { get; } = [];

        /// <summary>Explain it now, settled or not (the scripted part is over).</summary>
        public bool Due { get; set; }
    }
}
