using System.CommandLine;
using System.Text.RegularExpressions;
using Autopilot.Host.Commands;

namespace Autopilot.Host.Tests.Demo;

/// <summary>What the demo tests share: running the command in this process, polling a child, free ports, the lines they read.</summary>
internal static partial class DemoProcesses
{
    /// <summary>Runs <c>autopilot demo</c> in this process with its output captured (parse errors are exit 2, as in Program.cs).</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var root = new RootCommand { DemoCommand.Create() };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            return (2, string.Empty, string.Join('\n', parse.Errors.Select(e => e.Message)));
        }

        var code = await parse.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static async Task<T> PollAsync<T>(Func<Task<T?>> attempt, TimeSpan timeout, ChildProcess process)
        where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet, or the incident is being written: try again.
            }

            Assert.True(DateTime.UtcNow < deadline, $"nothing within {timeout}\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
            await Task.Delay(500);
        }
    }

    [GeneratedRegex(@"^Dashboard\s+(http://\S+)$")]
    public static partial Regex DashboardLine();

    [GeneratedRegex(@"replaying (\d+) requests")]
    public static partial Regex ReplayLine();
}
