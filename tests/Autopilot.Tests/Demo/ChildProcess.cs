using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Autopilot.Host.Tests.Hosting;

namespace Autopilot.Host.Tests.Demo;

/// <summary>
/// The built <c>autopilot.dll</c> as a child process whose stdout and stderr are read line by line as they come, so
/// a test can wait for a line (a URL, a phase) before acting on the running process.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _outClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _lines = new(0, int.MaxValue);

    public ChildProcess(string arguments)
    {
        _process = Process.Start(AutopilotProcess.StartInfo(arguments)) ?? throw new InvalidOperationException("could not start autopilot");
        _process.OutputDataReceived += (_, e) => Receive(_stdout, _outClosed, e.Data);
        _process.ErrorDataReceived += (_, e) => Receive(_stderr, _errClosed, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public string Stdout => string.Join('\n', _stdout);

    public string Stderr => string.Join('\n', _stderr);

    /// <summary>The first line (of stdout or stderr) that satisfies <paramref name="match"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var line = _stdout.Concat(_stderr).FirstOrDefault(match);
            if (line is not null)
            {
                return line;
            }

            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero && !_process.HasExited, $"no such line within {timeout} (exited: {_process.HasExited})\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
            await _lines.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Waits for the process to exit and both streams to be read to their end; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            await Task.WhenAll(_outClosed.Task, _errClosed.Task).WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"autopilot did not exit within {timeout}\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        return _process.ExitCode;
    }

    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    private void Receive(ConcurrentQueue<string> lines, TaskCompletionSource closed, string? line)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lines.Enqueue(line);
        _lines.Release();
    }
}
