using System.Text.RegularExpressions;
using Autopilot.Host.Commands;
using Autopilot.Host.Tests.Commands;

namespace Autopilot.Host.Tests.Demo;

/// <summary>What the demo tests share: running the command in this process, polling a child, free ports, the lines they read.</summary>
internal static partial class DemoProcesses
{
    /// <summary>Runs <c>autopilot demo</c> in this process with its output captured (parse errors are exit 2, as in Program.cs).</summary>
    public static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) =>
        CommandRun.RunAsync([DemoCommand.Create()], args);

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
