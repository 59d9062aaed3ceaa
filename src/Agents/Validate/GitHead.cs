using System.Diagnostics;

namespace Autopilot.Agents.Validate;

/// <summary>The HEAD commit of the git repository a directory is in, from the real git; null outside a repository or without git.</summary>
internal static class GitHead
{
    public static async Task<string?> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("rev-parse");
        info.ArgumentList.Add("--verify");
        info.ArgumentList.Add("HEAD");
        try
        {
            using var git = Process.Start(info);
            if (git is null)
            {
                return null;
            }

            var output = git.StandardOutput.ReadToEndAsync(cancellationToken);
            await git.StandardError.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await git.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var head = (await output.ConfigureAwait(false)).Trim();
            return git.ExitCode == 0 && head.Length >= 40 ? head : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: the report says null, as outside a repository.
            return null;
        }
    }
}
