using System.Runtime.ExceptionServices;

namespace Autopilot.Pipeline.Stages;

/// <summary>
/// Everything one run of a graph shares: settings, the drivers to start, failure and shutdown.
/// Graphs are built from the sink backwards, so while a stage is constructed the context holds the
/// attributes (decider, name) and the tick interval of the segment being built.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The token sources have no timers; kill switches may still cancel them after the run, so they are never disposed.")]
internal sealed class MaterializationContext
{
    private readonly List<Func<Task>> _drivers = [];
    private readonly List<Action<Exception>> _onFailure = [];
    private readonly List<Action> _onShutdown = [];
    private readonly List<IBufferGauge> _buffers = [];
    private readonly Stack<Decider> _deciders = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly object _gate = new();
    private ExceptionDispatchInfo? _error;
    private string? _pendingName;
    private TimeSpan? _segmentTick;
    private int _stageIndex;
    private bool _started;

    public MaterializationContext(PipelineSettings settings)
    {
        settings.Validate();
        Settings = settings;
    }

    public PipelineSettings Settings { get; }

    public TimeProvider Time => Settings.TimeProvider;

    public int MaxBatchSize => Settings.MaxBatchSize;

    /// <summary>Cancelled when the graph fails or is aborted: every driver stops.</summary>
    public CancellationToken AbortToken => _abort.Token;

    /// <summary>Cancelled on graceful shutdown: sources stop taking input and complete.</summary>
    public CancellationToken ShutdownToken => _shutdown.Token;

    public Exception? Error => _error?.SourceException;

    public Decider CurrentDecider => _deciders.Count > 0 ? _deciders.Peek() : Settings.Decider;

    public void PushDecider(Decider decider) => _deciders.Push(decider);

    public void PopDecider() => _deciders.Pop();

    /// <summary>Names the next stage constructed, which is the one just upstream of <c>Named()</c>.</summary>
    public void SetPendingName(string name) => _pendingName = name;

    public StageMetrics CreateMetrics(string kind)
    {
        var name = _pendingName ?? $"{kind}-{++_stageIndex}";
        _pendingName = null;
        return new StageMetrics(Settings.Name, name);
    }

    /// <summary>A stage in the segment being built needs ticks at least this often.</summary>
    public void RequestTicks(TimeSpan interval)
    {
        if (_segmentTick is null || interval < _segmentTick)
        {
            _segmentTick = interval;
        }
    }

    /// <summary>Called by whatever drives a segment (a source or the reading side of a boundary).</summary>
    public SegmentTimer TakeSegmentTimer()
    {
        var timer = new SegmentTimer(Time, _segmentTick);
        _segmentTick = null;
        return timer;
    }

    public void AddDriver(Func<Task> driver) => _drivers.Add(driver);

    public void AddBuffer(IBufferGauge buffer) => _buffers.Add(buffer);

    public void OnFailure(Action<Exception> callback) => _onFailure.Add(callback);

    public void OnShutdown(Action callback) => _onShutdown.Add(callback);

    /// <summary>Records the first failure, stops every driver and fails every materialized value.</summary>
    public void Fail(Exception error)
    {
        Action<Exception>[] callbacks;
        lock (_gate)
        {
            if (_error is not null)
            {
                return;
            }

            _error = ExceptionDispatchInfo.Capture(error);
            callbacks = [.. _onFailure];
        }

        // Callbacks run outside the lock: they complete channels and tasks whose continuations may run inline.
        foreach (var callback in callbacks)
        {
            callback(error);
        }

        _abort.Cancel();
    }

    public void Shutdown()
    {
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        _shutdown.Cancel();
        foreach (var callback in _onShutdown)
        {
            callback();
        }
    }

    public Task Start()
    {
        if (_started)
        {
            throw new InvalidOperationException("A materialization context runs once.");
        }

        _started = true;
        foreach (var buffer in _buffers)
        {
            PipelineMetrics.Register(buffer);
        }

        var tasks = new Task[_drivers.Count];
        for (var i = 0; i < tasks.Length; i++)
        {
            var driver = _drivers[i];
            tasks[i] = Task.Run(() => RunDriverAsync(driver));
        }

        return CompleteAsync(tasks);
    }

    private async Task RunDriverAsync(Func<Task> driver)
    {
        try
        {
            await driver();
        }
        catch (Exception e) when (_error is not null)
        {
            // Already failing: this is the driver noticing (cancellation, closed channel). The first error is kept.
            _ = e;
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task CompleteAsync(Task[] tasks)
    {
        try
        {
            await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (var buffer in _buffers)
            {
                PipelineMetrics.Unregister(buffer);
            }
        }

        _error?.Throw();
    }
}
