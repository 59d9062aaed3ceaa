using System.ComponentModel;
using System.Diagnostics;

namespace Autopilot.Host.Demo;

/// <summary>Opens a URL in the user's browser (<c>--open</c>): <c>xdg-open</c> on Linux, <c>open</c> on macOS, the shell on Windows.</summary>
internal static class BrowserLauncher
{
    /// <summary>Starts the browser and returns one line saying what happened; never throws.</summary>
    public static string Open(Uri url)
    {
        var psi = OperatingSystem.IsWindows() ? new ProcessStartInfo(url.ToString()) { UseShellExecute = true }
            : new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open", url.ToString())
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
        try
        {
            using var process = Process.Start(psi);
            return process is null ? $"could not open a browser; open {url} yourself" : $"opened {url} in the browser";
        }
        catch (Win32Exception e)
        {
            return $"could not open a browser ({psi.FileName}: {e.Message}); open {url} yourself";
        }
    }
}
