using System.Diagnostics;
using System.Globalization;

namespace Autopilot.LoadGen;

/// <summary>
/// A server under test, started through <c>setsid</c> so it leads its own process group: its CPU is
/// read apart from the generator's, and stopping it signals the whole group, leaving nothing behind.
/// Output goes to a log file next to its data so a failed start can be explained.
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    private static readonly List<ChildServer> s_running = [];
    private readonly Process _process;
    private readonly StreamWriter _log;
    private int _stopped;

    private ChildServer(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public static ChildServer Start(string name, string fileName, IReadOnlyList<string> arguments, string logPath)
    {
        var psi = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // setsid execs in place (the child of Process.Start is not a group leader), so the pid is the server's.
        psi.ArgumentList.Add(fileName);
        foreach (var a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ChildServer(name, process, log, logPath);
        lock (s_running)
        {
            if (s_running.Count == 0)
            {
                // Ctrl+C or SIGTERM skips the finally blocks that stop servers: stop them here too.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
            }

            s_running.Add(server);
        }

        return server;
    }

    public ProcSample Sample() => ProcSample.Read(Pid);

    /// <summary>Polls <paramref name="url"/> until it answers 2xx; throws with the server's log when it exits or times out.</summary>
    public async Task WaitReadyAsync(HttpClient http, Uri url, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(url).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        var tail = File.Exists(LogPath) ? string.Join('\n', File.ReadLines(LogPath).TakeLast(20)) : string.Empty;
        throw new InvalidOperationException($"{Name} did not become ready at {url} within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}); last log lines:\n{tail}");
    }

    /// <summary>SIGTERM to the process group, SIGKILL to it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        if (!_process.HasExited)
        {
            SignalGroup("TERM");
            using var cts = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                SignalGroup("KILL");
                await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        // Anything the server forked is in the same group; make sure it is gone too.
        SignalGroup("KILL");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        _process.Dispose();
        await _log.DisposeAsync().ConfigureAwait(false);
    }

    private static void KillAll()
    {
        lock (s_running)
        {
            foreach (var server in s_running.Where(s => Volatile.Read(ref s._stopped) == 0))
            {
                server.SignalGroup("KILL");
            }
        }
    }

    private void SignalGroup(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + Pid.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        });
        kill?.WaitForExit();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
