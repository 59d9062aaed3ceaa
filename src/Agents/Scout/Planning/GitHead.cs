using System.ComponentModel;
using System.Diagnostics;

namespace Autopilot.Agents.Scout.Planning;

/// <summary>The commit checked out, from <c>git rev-parse HEAD</c>; null outside a work tree or without git.</summary>
internal static class GitHead
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static string? Read(string path)
    {
        var psi = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-C", path, "rev-parse", "--verify", "-q", "HEAD"])
        {
            psi.ArgumentList.Add(arg);
        }

        try
        {
            using var git = Process.Start(psi);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEndAsync();
            _ = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(Timeout))
            {
                git.Kill(entireProcessTree: true);
                return null;
            }

            var head = output.GetAwaiter().GetResult().Trim();
            return git.ExitCode == 0 && head.Length is 40 or 64 && head.All(char.IsAsciiHexDigitLower) ? head : null;
        }
        catch (Win32Exception)
        {
            return null; // git is not installed
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
