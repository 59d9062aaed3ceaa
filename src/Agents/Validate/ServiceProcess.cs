using System.Diagnostics;
using System.Globalization;

namespace Autopilot.Agents.Validate;

/// <summary>
/// The service under test: <c>/bin/sh -c "&lt;command&gt;"</c> as a child process with the telemetry environment,
/// its stdout and stderr tails kept for the report. Stopping sends SIGTERM to it and every descendant (a shell
/// or <c>dotnet run</c> may sit between us and the service), waits, then kills whatever is left.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServiceProcess(Process process)
    {
        _process = process;
    }

    public OutputTail Stdout { get; } = new();

    public OutputTail Stderr { get; } = new();

    public int Id => _process.Id;

    /// <summary>Completes with the exit code when the process ends.</summary>
    public Task<int> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    public static ServiceProcess Start(string command, string workingDirectory, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> removed)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        foreach (var key in removed)
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.Stdout.Add(e.Data);
        process.ErrorDataReceived += (_, e) => service.Stderr.Add(e.Data);
        process.Exited += (_, _) => service.OnExited();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (process.HasExited)
        {
            service.OnExited();
        }

        return service;
    }

    /// <summary>SIGTERM to the process tree, then SIGKILL after <paramref name="grace"/>. Returns the exit code, or null when it had to be killed.</summary>
    public async Task<int?> StopAsync(TimeSpan grace)
    {
        if (HasExited)
        {
            return await Exited.ConfigureAwait(false);
        }

        var tree = Descendants(_process.Id);
        tree.Insert(0, _process.Id);
        await SignalAsync("TERM", tree).ConfigureAwait(false);
        if (await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false) == Exited)
        {
            // The shell may be gone while a grandchild still drains; give the rest the same grace.
            await WaitGoneAsync(tree, grace).ConfigureAwait(false);
            await SignalAsync("KILL", tree.FindAll(IsAlive)).ConfigureAwait(false);
            return await Exited.ConfigureAwait(false);
        }

        await SignalAsync("KILL", tree.FindAll(IsAlive)).ConfigureAwait(false);
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await Task.WhenAny(Exited, Task.Delay(grace)).ConfigureAwait(false);
        return null;
    }

    public void Dispose()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        _process.Dispose();
    }

    private void OnExited()
    {
        try
        {
            // Exited can fire before the last redirected lines are read (WaitForExit with a timeout does not wait for
            // them); this waits for both streams to end, but not forever: an orphaned grandchild may hold the pipes open.
            _process.WaitForExit(TimeSpan.FromSeconds(2));
            Task.WaitAll([Stdout.Closed, Stderr.Closed], TimeSpan.FromSeconds(2));
            _exited.TrySetResult(_process.ExitCode);
        }
        catch (InvalidOperationException)
        {
            _exited.TrySetResult(-1);
        }
    }

    private static async Task SignalAsync(string signal, List<int> pids)
    {
        if (pids.Count == 0)
        {
            return;
        }

        // The shell's own kill: no dependency on procps being installed.
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"kill -s {signal} {string.Join(' ', pids.Select(p => p.ToString(CultureInfo.InvariantCulture)))}");
        using var kill = Process.Start(info)!;
        await kill.StandardError.ReadToEndAsync().ConfigureAwait(false);
        await kill.WaitForExitAsync().ConfigureAwait(false);
    }

    private static async Task WaitGoneAsync(List<int> pids, TimeSpan grace)
    {
        var deadline = Stopwatch.StartNew();
        while (pids.Exists(IsAlive) && deadline.Elapsed < grace)
        {
            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    private static bool IsAlive(int pid)
    {
        // A zombie (state Z) has ended; only its parent's wait is missing.
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Every process whose chain of parents leads to <paramref name="root"/>, from /proc.</summary>
    private static List<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ', 3);
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                // The process ended while we looked.
            }
        }

        var result = new List<int>();
        var frontier = new Queue<int>();
        frontier.Enqueue(root);
        while (frontier.Count > 0)
        {
            var parent = frontier.Dequeue();
            foreach (var (pid, ppid) in parents)
            {
                if (ppid == parent && !result.Contains(pid))
                {
                    result.Add(pid);
                    frontier.Enqueue(pid);
                }
            }
        }

        return result;
    }
}
