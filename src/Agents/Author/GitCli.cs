using System.Diagnostics;
using System.Text;

namespace Autopilot.Agents.Author;

/// <summary>
/// Runs the real <c>git</c> executable (LibGit2Sharp's native part does not restore here). Every call is one child
/// process with its arguments passed as a list (no shell), prompts disabled and the inherited <c>GIT_DIR</c> /
/// <c>GIT_WORK_TREE</c> / <c>GIT_INDEX_FILE</c> removed, so a caller running inside a git hook cannot redirect it.
/// </summary>
internal sealed class GitCli(string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
{
    /// <summary>Longest a single git command may run; a hung git (e.g. waiting on a lock) becomes an error, not a hang.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public string WorkingDirectory { get; } = workingDirectory;

    /// <summary>Runs git and returns its exit code and output; never throws for a non-zero exit.</summary>
    public async Task<GitResult> TryRunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var name in new[] { "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_PREFIX" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";
        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                start.Environment[k] = v;
            }
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GitException("git could not be started.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GitException($"git could not be started ({e.Message}); is git installed and on PATH?");
        }

        using (process)
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                cancellationToken.ThrowIfCancellationRequested();
                throw new GitException($"git {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds:0} s.");
            }

            return new GitResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }

    /// <summary>Runs git and returns its standard output; a non-zero exit is a <see cref="GitException"/> quoting git.</summary>
    public async Task<string> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await TryRunAsync(args, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            var said = (result.Stderr.Trim().Length > 0 ? result.Stderr : result.Stdout).Trim();
            throw new GitException($"git {string.Join(' ', args)} failed ({result.ExitCode}): {said}");
        }

        return result.Stdout;
    }

    public Task<string> RunAsync(CancellationToken cancellationToken, params string[] args) => RunAsync((IReadOnlyList<string>)args, cancellationToken);

    public Task<GitResult> TryRunAsync(CancellationToken cancellationToken, params string[] args) => TryRunAsync((IReadOnlyList<string>)args, cancellationToken);
}
