using System.Diagnostics;
using System.Globalization;
using Autopilot.Simulator.Faults;
using Autopilot.Simulator.Lineage;
using Autopilot.Simulator.Telemetry;
using Autopilot.Simulator.Topology;
using OpenTelemetry.Context.Propagation;

namespace Autopilot.Simulator.Simulation;

/// <summary>
/// The simulated application running on a simulated clock. <see cref="AdvanceToAsync"/> moves simulated time
/// forward: user requests arrive (Poisson), each is served by the services of the topology with real spans (client
/// span in the caller, server span in the callee whose parent is the client span, carried by a W3C
/// <c>traceparent</c> header; database client spans; a producer span and the consumers' spans, carried by message
/// headers), the batch jobs run and report through OpenLineage, and every metric interval each service's CPU gauge
/// is collected. Every timestamp is simulated time. <see cref="Flush"/> exports what the services have buffered.
/// </summary>
/// <remarks>
/// All randomness comes from one <see cref="Random"/> seeded once, and everything happens on the caller's thread in
/// simulated-time order, so a seed and a start time replay the same requests (<see cref="ContentHash"/>). Only the
/// exports run in parallel, one service each, after simulated time has been produced.
/// </remarks>
internal sealed class Simulation : IDisposable
{
    private const long NanosPerMs = 1_000_000;
    private const double StatementTimeoutMs = 3_000;
    private const string Currency = "EUR";

    private readonly SimulatorOptions _options;
    private readonly ShopTopology _topology;
    private readonly Random _random;
    private readonly IProgress<SimulationProgress>? _progress;
    private readonly CancellationToken _stopping;
    private readonly Dictionary<string, ServiceRun> _services = new(StringComparer.Ordinal);
    private readonly List<ServiceRun> _serviceList = [];
    private readonly List<ActiveFault> _faults = [];
    private readonly ExportStats _exports = new();
    private readonly LineageClient _lineage;
    private readonly TraceContextPropagator _propagator = new();
    private readonly PriorityQueue<LineageEvent, (long Time, long Sequence)> _pendingLineage = new();
    private readonly Dictionary<string, long> _nextRun = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Time, IReadOnlyList<SchemaField> Fields)>> _schemas = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lineageSignals = new(StringComparer.Ordinal);
    private readonly List<Delivery> _deliveries = [];
    private readonly ContentHash _hash = new();
    private readonly double[] _entryWeights;
    private readonly double _meanArrivalMs;
    private long _lineageSequence;
    private long _nextArrival;
    private long _nextMetric;
    private long _ordersSinceEtl;
    private long _orderNumber;
    private long _requests;
    private long _failedRequests;
    private int _disposed;

    public Simulation(SimulatorOptions options, ShopTopology topology, int seed, long startUnixNano, IProgress<SimulationProgress>? progress, CancellationToken stopping)
    {
        options.Validate();
        _options = options;
        _topology = topology;
        _random = new Random(seed);
        _progress = progress;
        _stopping = stopping;
        Now = startUnixNano;
        _lineage = new LineageClient(options, topology.JobNamespace, _exports, stopping);
        _meanArrivalMs = 1000.0 / options.RequestsPerSecond;
        _entryWeights = [.. topology.Entries.Select(e => e.Weight)];
        var total = _entryWeights.Sum();
        for (var i = 0; i < _entryWeights.Length; i++)
        {
            _entryWeights[i] /= total;
        }

        try
        {
            foreach (var spec in topology.Services)
            {
                var run = new ServiceRun(spec, ShopTopology.ServiceUrn(options.Environment, spec.Name));
                _services[spec.Name] = run;
                _serviceList.Add(run);
                StartInstance(run, spec.Version, startUnixNano);
            }
        }
        catch
        {
            Dispose();
            throw;
        }

        _nextArrival = startUnixNano + Ns(_random.Exponential(_meanArrivalMs));
        _nextMetric = startUnixNano + options.MetricInterval.Ticks * 100;
        foreach (var job in topology.Jobs)
        {
            var interval = job.Interval.Ticks * 100;
            var first = (startUnixNano / interval * interval) + (job.Offset.Ticks * 100);
            _nextRun[job.Name] = first < startUnixNano ? first + interval : first;
        }
    }

    /// <summary>Simulated time (Unix nanoseconds) up to which everything has been produced.</summary>
    public long Now { get; private set; }

    public ExportStats Exports => _exports;

    /// <summary>See <see cref="ContentHash"/>: a digest of everything sent so far.</summary>
    public string ContentHash => _hash.Current();

    /// <summary>Places a fault in simulated time; it takes effect when simulated time reaches <paramref name="startUnixNano"/>.</summary>
    public void AddFault(FaultSpec spec, long startUnixNano, long? endUnixNano)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (endUnixNano <= startUnixNano)
        {
            throw new ArgumentException("a fault must end after it starts", nameof(endUnixNano));
        }

        _faults.Add(new ActiveFault(spec, startUnixNano, endUnixNano));
    }

    /// <summary>
    /// Produces everything that happens up to simulated time <paramref name="untilUnixNano"/>: requests (buffered in
    /// the services' span and log processors until <see cref="Flush"/>), lineage events (sent in time order) and
    /// metric collections (sent at each interval).
    /// </summary>
    public async Task AdvanceToAsync(long untilUnixNano, CancellationToken cancellationToken)
    {
        while (Now < untilUnixNano)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = Math.Min(untilUnixNano, Math.Min(_nextMetric, NextFaultBoundary()));
            while (_nextArrival < next)
            {
                Request(_nextArrival);
                _nextArrival += Math.Max(1, Ns(_random.Exponential(_meanArrivalMs)));
            }

            foreach (var job in _topology.Jobs)
            {
                while (_nextRun[job.Name] < next)
                {
                    ScheduleRun(job, _nextRun[job.Name]);
                    _nextRun[job.Name] += job.Interval.Ticks * 100;
                }
            }

            while (_pendingLineage.TryPeek(out var e, out var key) && key.Time < next)
            {
                _pendingLineage.Dequeue();
                await SendLineageAsync(e, cancellationToken).ConfigureAwait(false);
            }

            Now = next;
            ApplyFaultTransitions();
            if (Now >= _nextMetric)
            {
                CollectMetrics(Now);
                _nextMetric += _options.MetricInterval.Ticks * 100;
            }
        }
    }

    /// <summary>Exports every service's buffered spans and log records (services in parallel); false when an export timed out.</summary>
    public bool Flush()
    {
        var ok = true;
        Parallel.ForEach(_serviceList, new ParallelOptions { MaxDegreeOfParallelism = _options.ExportParallelism }, s =>
        {
            if (!s.Telemetry.Flush())
            {
                ok = false;
            }
        });
        return ok;
    }

    public SimulationStats Stats() => new(
        _requests,
        _failedRequests,
        _serviceList.ToDictionary(s => s.Urn, s => s.Spans, StringComparer.Ordinal),
        _serviceList.ToDictionary(s => s.Urn, s => s.Logs, StringComparer.Ordinal),
        _serviceList.ToDictionary(s => s.Urn, s => s.MetricPoints, StringComparer.Ordinal),
        new Dictionary<string, long>(_records, StringComparer.Ordinal),
        new Dictionary<string, long>(_lineageSignals, StringComparer.Ordinal),
        _exports.Requests,
        _exports.Retries,
        _exports.Failures,
        _exports.LastFailure);

    public SimulationProgress Progress(SimulationPhase phase, string message, FaultSpec? fault = null) =>
        new(phase, Time(Now), _requests, _serviceList.Sum(s => s.Spans), _lineageSignals.Where(kv => kv.Key.StartsWith("urn:autopilot:job:", StringComparison.Ordinal)).Sum(kv => kv.Value), fault, message);

    /// <summary>Flushes what is buffered and shuts every service's SDK down.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var s in _serviceList)
        {
            if (s.Telemetry is not null)
            {
                s.Telemetry.Flush();
                s.Telemetry.Dispose();
            }
        }

        _lineage.Dispose();
        _hash.Dispose();
    }

    private static long Ns(double ms) => (long)(ms * NanosPerMs);

    private static DateTimeOffset Time(long unixNano) => DateTimeOffset.UnixEpoch.AddTicks(unixNano / 100);

    private static DateTime UtcTime(long unixNano) => DateTime.UnixEpoch.AddTicks(unixNano / 100);

    private void StartInstance(ServiceRun run, string version, long at)
    {
        if (run.Telemetry is { } old)
        {
            old.Flush();
            old.Dispose();
            run.RetiredMetricPoints += old.MetricPointsSent;
        }

        run.Instances++;
        var instance = string.Create(CultureInfo.InvariantCulture, $"{run.Spec.Name}-{run.Instances}");
        run.Telemetry = new ServiceTelemetry(run.Spec.Name, version, instance, _options, _exports, at, _stopping);
        Log(run, at, null, l => ServiceLogs.Starting(l, run.Spec.Name, version), $"start|{version}");
    }

    private long NextFaultBoundary()
    {
        var next = long.MaxValue;
        foreach (var f in _faults)
        {
            if (!f.Started && f.Start > Now)
            {
                next = Math.Min(next, f.Start);
            }

            if (!f.Ended && f.End is { } end && end > Now)
            {
                next = Math.Min(next, end);
            }
        }

        return next;
    }

    private void ApplyFaultTransitions()
    {
        foreach (var f in _faults)
        {
            if (!f.Started && Now >= f.Start)
            {
                f.Started = true;
                if (f.Spec.Kind == FaultKind.DeployErrors)
                {
                    StartInstance(_services[f.Spec.Target], f.Spec.NewVersion!, Now);
                }

                _progress?.Report(Progress(SimulationPhase.FaultInjected, $"injected {FaultKinds.Name(f.Spec.Kind)}: {f.Spec.Description}", f.Spec));
            }

            if (f.Started && !f.Ended && f.End is { } end && Now >= end)
            {
                f.Ended = true;
                if (f.Spec.Kind == FaultKind.DeployErrors)
                {
                    var run = _services[f.Spec.Target];
                    StartInstance(run, run.Spec.Version, Now);
                }

                _progress?.Report(Progress(SimulationPhase.FaultCleared, $"cleared {FaultKinds.Name(f.Spec.Kind)} on {f.Spec.Target}", f.Spec));
            }
        }
    }

    // ---- requests -------------------------------------------------------------------------------------------

    private void Request(long at)
    {
        var u = _random.NextDouble();
        var entry = _topology.Entries[^1];
        for (var i = 0; i < _entryWeights.Length; i++)
        {
            u -= _entryWeights[i];
            if (u < 0)
            {
                entry = _topology.Entries[i];
                break;
            }
        }

        var service = _services[_topology.EntryService];
        _deliveries.Clear();

        // A root span's parent would otherwise be whatever Activity.Current is.
        Activity.Current = null;
        var outcome = Serve(service, service.Spec.Operation(entry.Operation), default, at, null);
        _requests++;
        if (outcome.Failed)
        {
            _failedRequests++;
        }

        for (var i = 0; i < _deliveries.Count; i++)
        {
            var d = _deliveries[i];
            var consumer = _services[d.Consumer.Service];
            var parent = _propagator.Extract(default, d.Headers, static (h, k) => h.TryGetValue(k, out var v) ? [v] : []).ActivityContext;
            Activity.Current = null;
            Serve(consumer, consumer.Spec.Operation(d.Consumer.Operation), parent, d.At, d);
        }
    }

    private Outcome Serve(ServiceRun svc, OperationSpec op, ActivityContext parent, long start, Delivery? message)
    {
        var telemetry = svc.Telemetry;
        var activity = telemetry.Source.StartActivity(op.SpanName, op.Kind, parent, startTime: Time(start));
        svc.Served++;
        var self = SelfTimeMs(svc.Spec.Name, op, start);
        var t = start + Ns(self * 0.4);
        var status = op.Kind == ActivityKind.Consumer ? 0 : 200;
        string? reason = null;
        string? degraded = null;
        var errorShare = ErrorShare(svc.Spec.Name, start);
        if (errorShare > 0 && _random.NextDouble() < errorShare)
        {
            status = 500;
            reason = "NullReferenceException: Object reference not set to an instance of an object (PricingRules.Apply)";
        }
        else if (_random.NextDouble() < 0.001)
        {
            status = 500;
            reason = "connection reset by peer";
        }
        else
        {
            for (var i = 0; i < op.Steps.Count && reason is null; i++)
            {
                switch (op.Steps[i])
                {
                    case CallStep call:
                        var (callEnd, code, why) = Call(svc, activity?.Context ?? default, call, t);
                        t = callEnd;
                        if (code >= 500)
                        {
                            if (call.Required)
                            {
                                status = code == 504 ? 504 : 502;
                                reason = why;
                            }
                            else
                            {
                                degraded = call.Service + "|" + why;
                            }
                        }

                        break;
                    case DbStep db:
                        (t, reason) = Query(svc, activity?.Context ?? default, db, t);
                        if (reason is not null)
                        {
                            status = 500;
                        }

                        break;
                    case PublishStep publish:
                        t = Publish(svc, activity?.Context ?? default, publish, t);
                        break;
                }
            }
        }

        var end = t + Ns(self * 0.6);
        if (reason is not null)
        {
            // A failure returns early: only part of the remaining self time is spent.
            end = t + Ns(self * 0.1);
        }

        if (activity is not null)
        {
            if (op.Kind == ActivityKind.Consumer)
            {
                activity.SetTag("messaging.system", ShopTopology.MessagingSystem);
                activity.SetTag("messaging.destination.name", message!.Topic);
                activity.SetTag("messaging.operation.type", "process");
                activity.SetTag("messaging.operation.name", "process");
                activity.SetTag("messaging.consumer.group.name", message.Consumer.Group);
                activity.SetTag("messaging.message.id", message.MessageId);
            }
            else
            {
                activity.SetTag("http.request.method", op.Method);
                activity.SetTag("http.route", op.Route);
                activity.SetTag("url.path", op.Route);
                activity.SetTag("url.scheme", "http");
                activity.SetTag("server.address", svc.Spec.Name);
                activity.SetTag("server.port", 8080);
                activity.SetTag("http.response.status_code", status);
            }

            if (reason is not null)
            {
                activity.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
                activity.SetStatus(ActivityStatusCode.Error, reason);
            }
        }

        // Logs carry the request's trace context, as ILogger inside an ASP.NET Core request does.
        if (reason is not null)
        {
            Log(svc, end, activity, l => ServiceLogs.RequestFailed(l, op.Method, op.Route, status, reason), $"fail|{op.Name}|{status}|{reason}");
        }
        else
        {
            if (degraded is not null)
            {
                var bar = degraded.IndexOf('|', StringComparison.Ordinal);
                var (callee, why) = (degraded[..bar], degraded[(bar + 1)..]);
                Log(svc, end, activity, l => ServiceLogs.Degraded(l, callee, why), "degraded|" + degraded);
            }

            SuccessLog(svc, op, end, activity, message);
        }

        End(svc, activity, end, $"{op.SpanName}|{op.Kind}|{start}|{end}|{status}");
        return new Outcome(end, status == 0 ? 200 : status, reason);
    }

    private (long End, int Code, string Reason) Call(ServiceRun caller, ActivityContext parent, CallStep call, long start)
    {
        var callee = _services[call.Service];
        var op = callee.Spec.Operation(call.Operation);
        var client = caller.Telemetry.Source.StartActivity(op.SpanName, ActivityKind.Client, parent, startTime: Time(start));
        var headers = new Dictionary<string, string>(2, StringComparer.Ordinal);
        if (client is not null)
        {
            _propagator.Inject(new PropagationContext(client.Context, default), headers, static (h, k, v) => h[k] = v);
        }

        // The callee sees the caller's span as its parent only through the traceparent header, as over HTTP.
        var remote = _propagator.Extract(default, headers, static (h, k) => h.TryGetValue(k, out var v) ? [v] : []).ActivityContext;
        var there = start + Ns(_random.LogNormal(0.5, 0.3));
        var served = Serve(callee, op, remote, there, null);
        var end = served.End + Ns(_random.LogNormal(0.5, 0.3));
        var timeout = start + (call.Timeout.Ticks * 100);
        int code;
        string reason;
        if (end > timeout)
        {
            end = timeout;
            code = 504;
            reason = string.Create(CultureInfo.InvariantCulture, $"timeout calling {call.Service} after {call.Timeout.TotalMilliseconds:0} ms");
        }
        else
        {
            code = served.Status;
            reason = served.Failed ? string.Create(CultureInfo.InvariantCulture, $"{call.Service} answered {served.Status}") : string.Empty;
        }

        if (client is not null)
        {
            client.SetTag("http.request.method", op.Method);
            client.SetTag("server.address", call.Service);
            client.SetTag("server.port", 8080);
            client.SetTag("peer.service", call.Service);
            client.SetTag("url.full", "http://" + call.Service + ":8080" + op.Route);
            client.SetTag("url.template", op.Route);
            if (code == 504)
            {
                client.SetTag("error.type", "timeout");
                client.SetStatus(ActivityStatusCode.Error, reason);
            }
            else
            {
                client.SetTag("http.response.status_code", code);
                if (code >= 500)
                {
                    client.SetTag("error.type", code.ToString(CultureInfo.InvariantCulture));
                    client.SetStatus(ActivityStatusCode.Error, reason);
                }
            }
        }

        End(caller, client, end, $"call|{call.Service}|{op.Name}|{start}|{end}|{code}");
        return (end, code, reason);
    }

    private (long End, string? Reason) Query(ServiceRun svc, ActivityContext parent, DbStep db, long start)
    {
        var name = db.Operation + " " + db.Table;
        var activity = svc.Telemetry.Source.StartActivity(name, ActivityKind.Client, parent, startTime: Time(start));
        var ms = _random.LogNormal(db.MedianMs, 0.45);
        if (_random.NextDouble() < 0.003)
        {
            ms += _random.Uniform(20, 80);
        }

        foreach (var f in _faults)
        {
            if (f.Spec.Kind == FaultKind.SlowDatabase && f.IsActive(start) && f.Spec.Target == db.Database + "." + db.Table)
            {
                ms += _random.LogNormal(f.Spec.Magnitude, 0.3);
            }
        }

        string? reason = null;
        if (ms > StatementTimeoutMs)
        {
            ms = StatementTimeoutMs;
            reason = "canceling statement due to statement timeout";
        }

        var end = start + Ns(ms);
        if (activity is not null)
        {
            activity.SetTag("db.system.name", ShopTopology.DbSystem);
            activity.SetTag("db.namespace", db.Database);
            activity.SetTag("db.collection.name", db.Table);
            activity.SetTag("db.operation.name", db.Operation);
            activity.SetTag("db.query.summary", name);
            activity.SetTag("server.address", "pg-" + db.Database);
            activity.SetTag("server.port", 5432);
            if (reason is not null)
            {
                activity.SetTag("db.response.status_code", "57014");
                activity.SetTag("error.type", "57014");
                activity.SetStatus(ActivityStatusCode.Error, reason);
            }
        }

        Count(_records, ShopTopology.TableUrn(db.Database, db.Table));
        End(svc, activity, end, $"db|{name}|{start}|{end}|{reason}");
        return (end, reason);
    }

    private long Publish(ServiceRun svc, ActivityContext parent, PublishStep publish, long start)
    {
        var activity = svc.Telemetry.Source.StartActivity("send " + publish.Topic, ActivityKind.Producer, parent, startTime: Time(start));
        var order = "ord-" + (++_orderNumber).ToString("D8", CultureInfo.InvariantCulture);
        var messageId = order + "-" + publish.Topic;
        var end = start + Ns(_random.LogNormal(1.5, 0.3));
        var headers = new Dictionary<string, string>(2, StringComparer.Ordinal);
        if (activity is not null)
        {
            activity.SetTag("messaging.system", ShopTopology.MessagingSystem);
            activity.SetTag("messaging.destination.name", publish.Topic);
            activity.SetTag("messaging.operation.type", "send");
            activity.SetTag("messaging.operation.name", "send");
            activity.SetTag("messaging.message.id", messageId);
            activity.SetTag("messaging.kafka.message.key", order);
            activity.SetTag("server.address", "kafka-1");
            _propagator.Inject(new PropagationContext(activity.Context, default), headers, static (h, k, v) => h[k] = v);
        }

        var topicUrn = ShopTopology.TopicUrn(publish.Topic);
        Count(_records, topicUrn);
        foreach (var consumer in _topology.Topic(publish.Topic).Consumers)
        {
            _deliveries.Add(new Delivery(publish.Topic, consumer, headers, end + Ns(_random.LogNormal(25, 0.5)), messageId, order));
            Count(_records, topicUrn);
        }

        _ordersSinceEtl++;
        End(svc, activity, end, $"send|{publish.Topic}|{start}|{end}|{messageId}");
        return end;
    }

    private void SuccessLog(ServiceRun svc, OperationSpec op, long at, Activity? activity, Delivery? message)
    {
        switch (svc.Spec.Name, op.Name)
        {
            case ("checkout", "place"):
                var amount = Math.Round(_random.Uniform(12, 240), 2);
                var placed = "ord-" + _orderNumber.ToString("D8", CultureInfo.InvariantCulture);
                Log(svc, at, activity, l => ServiceLogs.OrderPlaced(l, placed, amount, Currency), "placed");
                break;
            case ("payment", "charge"):
                var charged = Math.Round(_random.Uniform(12, 240), 2);
                var next = "ord-" + (_orderNumber + 1).ToString("D8", CultureInfo.InvariantCulture);
                Log(svc, at, activity, l => ServiceLogs.Charged(l, charged, Currency, next), "charged");
                break;
            case ("fulfillment", _) when message is not null:
                Log(svc, at, activity, l => ServiceLogs.ShipmentCreated(l, message.OrderId), "shipment|" + message.OrderId);
                break;
        }
    }

    private void Log(ServiceRun svc, long at, Activity? activity, Action<Microsoft.Extensions.Logging.ILogger> write, string content)
    {
        svc.Telemetry.LogTime = UtcTime(at);
        Activity.Current = activity;
        write(svc.Telemetry.Logger);
        svc.Logs++;
        _hash.Append(string.Create(CultureInfo.InvariantCulture, $"log|{svc.Spec.Name}|{at}|{content}"));
    }

    private void End(ServiceRun svc, Activity? activity, long end, string content)
    {
        svc.Spans++;
        _hash.Append(svc.Spec.Name + "|" + content);
        if (activity is not null)
        {
            activity.SetEndTime(UtcTime(Math.Max(end, (activity.StartTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100 + 100)));
            activity.Stop();
        }
    }

    private double SelfTimeMs(string service, OperationSpec op, long at)
    {
        var ms = _random.LogNormal(op.SelfMedianMs, 0.35);
        if (_random.NextDouble() < 0.004)
        {
            ms += _random.Uniform(50, 150); // a garbage collection or a noisy neighbour
        }

        foreach (var f in _faults)
        {
            if (f.Spec.Target != service || !f.IsActive(at))
            {
                continue;
            }

            switch (f.Spec.Kind)
            {
                case FaultKind.Latency:
                    ms += _random.LogNormal(f.Spec.Magnitude, 0.25);
                    break;
                case FaultKind.CpuSaturation:
                    ms = (ms * f.Spec.Magnitude) + _random.Exponential(60);
                    break;
            }
        }

        return ms;
    }

    private double ErrorShare(string service, long at)
    {
        foreach (var f in _faults)
        {
            if (f.Spec.Kind == FaultKind.DeployErrors && f.Spec.Target == service && f.IsActive(at) && at >= f.Start + (f.Spec.Delay.Ticks * 100))
            {
                return f.Spec.Magnitude;
            }
        }

        return 0;
    }

    // ---- metrics --------------------------------------------------------------------------------------------

    private void CollectMetrics(long at)
    {
        var seconds = _options.MetricInterval.TotalSeconds;
        foreach (var s in _serviceList)
        {
            var cpu = s.Spec.CpuBase + (0.04 * s.Served / seconds) + (0.012 * _random.Normal());
            foreach (var f in _faults)
            {
                if (f.Spec.Kind == FaultKind.CpuSaturation && f.Spec.Target == s.Spec.Name && f.IsActive(at))
                {
                    cpu = 0.9 + (0.09 * _random.NextDouble());
                }
            }

            s.Telemetry.Cpu = Math.Round(Math.Clamp(cpu, 0.01, 1.0), 4);
            s.Served = 0;
            _hash.Append(string.Create(CultureInfo.InvariantCulture, $"cpu|{s.Spec.Name}|{at}|{s.Telemetry.Cpu}"));
        }

        Parallel.ForEach(_serviceList, new ParallelOptions { MaxDegreeOfParallelism = _options.ExportParallelism }, s => s.Telemetry.CollectMetrics(at));
    }

    // ---- batch jobs -----------------------------------------------------------------------------------------

    private void ScheduleRun(JobSpec job, long start)
    {
        foreach (var f in _faults)
        {
            if (f.Spec.Kind == FaultKind.StaleDataset && f.Spec.Target == job.Name && f.IsActive(start))
            {
                return; // the scheduler no longer starts it
            }
        }

        var runId = _random.Uuid();
        var duration = Ns(_random.LogNormal(job.MedianDuration.TotalMilliseconds, 0.2));
        var inputs = new List<LineageDataset>();
        string? error = null;
        foreach (var input in job.Inputs)
        {
            var fields = SchemaAt(input, start);
            inputs.Add(new LineageDataset(input, fields, null));
            error ??= SchemaChanges.Incompatibility(input.Fields, fields) is { } problem ? $"ERROR: {problem} (reading {input.Name})" : null;
        }

        var writing = new List<(LineageDatasetSpec Spec, IReadOnlyList<SchemaField> Fields)>();
        foreach (var output in job.Outputs)
        {
            IReadOnlyList<SchemaField> fields = output.Fields;
            foreach (var f in _faults)
            {
                if (f.Spec.Kind == FaultKind.SchemaChange && f.Spec.Target == output.Name && f.IsActive(start))
                {
                    fields = SchemaChanges.Apply(output, f.Spec.Variant);
                }
            }

            writing.Add((output, fields));
        }

        Enqueue(new LineageEvent(start, "START", runId, job, inputs, [.. writing.Select(w => new LineageDataset(w.Spec, w.Fields, null))], null));
        if (error is not null)
        {
            Enqueue(new LineageEvent(start + (duration / 3), "FAIL", runId, job, inputs, [.. writing.Select(w => new LineageDataset(w.Spec, w.Fields, null))], error));
            return;
        }

        var end = start + duration;
        var rows = job.Inputs.Any(i => ShopTopology.DatasetUrn(i) == ShopTopology.TableUrn("shop", "orders"))
            ? Interlocked.Exchange(ref _ordersSinceEtl, 0)
            : 3 + _random.Next(2);
        var outputs = new List<LineageDataset>();
        foreach (var (spec, fields) in writing)
        {
            outputs.Add(new LineageDataset(spec, fields, rows));
            if (!_schemas.TryGetValue(ShopTopology.DatasetUrn(spec), out var history))
            {
                history = [];
                _schemas[ShopTopology.DatasetUrn(spec)] = history;
            }

            history.Add((end, fields));
        }

        Enqueue(new LineageEvent(end, "COMPLETE", runId, job, inputs, outputs, null));
    }

    /// <summary>The schema <paramref name="dataset"/> had at <paramref name="at"/>: the one its latest completed write gave it, else the topology's.</summary>
    private IReadOnlyList<SchemaField> SchemaAt(LineageDatasetSpec dataset, long at)
    {
        IReadOnlyList<SchemaField> fields = dataset.Fields;
        if (_schemas.TryGetValue(ShopTopology.DatasetUrn(dataset), out var history))
        {
            var latest = long.MinValue;
            foreach (var (time, f) in history)
            {
                if (time <= at && time >= latest)
                {
                    latest = time;
                    fields = f;
                }
            }
        }

        return fields;
    }

    private void Enqueue(LineageEvent e) => _pendingLineage.Enqueue(e, (e.TimeUnixNano, _lineageSequence++));

    private async Task SendLineageAsync(LineageEvent e, CancellationToken cancellationToken)
    {
        var body = _lineage.Serialize(e);
        _hash.Append(body);
        await _lineage.PostAsync(body, cancellationToken).ConfigureAwait(false);
        Count(_lineageSignals, _topology.JobUrn(e.Job.Name));
        foreach (var d in e.Inputs)
        {
            Count(_lineageSignals, ShopTopology.DatasetUrn(d.Spec));
        }

        foreach (var d in e.Outputs)
        {
            Count(_lineageSignals, ShopTopology.DatasetUrn(d.Spec));
            if (d.RowCount is not null)
            {
                Count(_records, ShopTopology.DatasetUrn(d.Spec));
            }
        }
    }

    private static void Count(Dictionary<string, long> counts, string urn) =>
        counts[urn] = counts.GetValueOrDefault(urn) + 1;

}
