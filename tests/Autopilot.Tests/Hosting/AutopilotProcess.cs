using System.Diagnostics;

namespace Autopilot.Host.Tests.Hosting;

/// <summary>Starts the built <c>autopilot.dll</c> (copied next to the tests) with the current dotnet host.</summary>
internal static class AutopilotProcess
{
    /// <summary>Starts <c>autopilot</c>; <paramref name="environment"/> adds variables (null values remove them), <paramref name="workingDirectory"/> sets its folder.</summary>
    public static Process Start(string arguments, bool captureOutput = false, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var psi = StartInfo(arguments);
        if (workingDirectory is not null)
        {
            psi.WorkingDirectory = workingDirectory;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            psi.Environment[name] = value;
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start autopilot");
        if (!captureOutput)
        {
            // Drain stdout so the child never blocks on a full pipe.
            process.OutputDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
        }

        return process;
    }

    /// <summary>The built <c>autopilot.dll</c> next to the tests, run by <c>dotnet</c> with stdout and stderr redirected.</summary>
    public static ProcessStartInfo StartInfo(string arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "autopilot.dll");
        Assert.True(File.Exists(dll), $"autopilot.dll not found next to the tests at {dll}");
        return new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
    }

    public static void SendSigterm(Process process)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public static async Task<T> PollAsync<T>(Func<Task<T>> attempt, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
