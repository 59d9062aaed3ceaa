using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Autopilot.Agents.Gate.Git;

/// <summary>
/// Reads a repository through the real <c>git</c> executable: the working tree's file list
/// (<c>git ls-files</c>), a commit's tree (<c>git ls-tree</c>), blob contents in one batch
/// (<c>git cat-file --batch</c>, what <c>git show &lt;ref&gt;:&lt;path&gt;</c> prints, for many files in one process)
/// and the versions a path had in history (<c>git log --raw</c>).
/// </summary>
internal sealed class GitRepository
{
    private GitRepository(string root) => Root = root;

    /// <summary>Absolute path of the working tree's top level.</summary>
    public string Root { get; }

    /// <summary>Opens the repository containing <paramref name="path"/>; a usage error when there is none.</summary>
    public static async Task<GitRepository> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(path))
        {
            throw new GateUsageException($"--repo '{path}' is not a directory");
        }

        var (code, output, error) = await RunAsync(Path.GetFullPath(path), ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new GateUsageException($"--repo '{path}' is not inside a git repository ({FirstLine(error)})");
        }

        return new GitRepository(output.Trim());
    }

    /// <summary>The commit HEAD points at; null in a repository without commits.</summary>
    public async Task<string?> HeadCommitAsync(CancellationToken cancellationToken)
    {
        var (code, output, _) = await RunAsync(Root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cancellationToken).ConfigureAwait(false);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>Resolves a revision to a commit id; a usage error naming it when it is not one.</summary>
    public async Task<string> ResolveCommitAsync(string revision, CancellationToken cancellationToken)
    {
        if (revision.StartsWith('-'))
        {
            throw new GateUsageException($"--base '{revision}' is not a git revision");
        }

        var (code, output, _) = await RunAsync(Root, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        return code == 0
            ? output.Trim()
            : throw new GateUsageException($"--base '{revision}' is not a commit in {Root} (fetch it first, e.g. git fetch origin main, or use actions/checkout with fetch-depth: 0)");
    }

    /// <summary>The best common ancestor of two commits (<c>git merge-base</c>); null when they share no history.</summary>
    public async Task<string?> MergeBaseAsync(string a, string b, CancellationToken cancellationToken)
    {
        var (code, output, _) = await RunAsync(Root, ["merge-base", a, b], cancellationToken).ConfigureAwait(false);
        return code == 0 ? output.Trim() : null;
    }

    /// <summary>Repository-relative paths (with '/') of the working tree: tracked files that exist and untracked files that are not ignored.</summary>
    public async Task<IReadOnlyList<string>> WorkingTreeFilesAsync(CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync(Root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new GateUsageException($"git ls-files failed in {Root}: {FirstLine(error)}");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var path in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // A tracked file deleted in the working tree is still listed by --cached.
            if (seen.Add(path) && File.Exists(Path.Combine(Root, path)))
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>Every file of <paramref name="commit"/>: repository-relative path → blob id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> TreeAsync(string commit, CancellationToken cancellationToken)
    {
        var (code, output, error) = await RunAsync(Root, ["ls-tree", "-r", "-z", "--full-tree", commit], cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new GateUsageException($"git ls-tree {commit} failed: {FirstLine(error)}");
        }

        var tree = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <type> <object>\t<path>"
            var tab = entry.IndexOf('\t', StringComparison.Ordinal);
            var meta = entry[..tab].Split(' ');
            if (meta.Length == 3 && meta[1] == "blob")
            {
                tree[entry[(tab + 1)..]] = meta[2];
            }
        }

        return tree;
    }

    /// <summary>The text of each blob, in one <c>git cat-file --batch</c> process.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadBlobsAsync(IReadOnlyCollection<string> blobIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (blobIds.Count == 0)
        {
            return result;
        }

        using var process = Start(Root, ["cat-file", "--batch"], redirectInput: true);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var writer = Task.Run(
            async () =>
            {
                foreach (var id in blobIds)
                {
                    await process.StandardInput.WriteAsync(id + "\n").ConfigureAwait(false);
                }

                process.StandardInput.Close();
            },
            cancellationToken);

        var stdout = process.StandardOutput.BaseStream;
        using var buffer = new MemoryStream();
        await stdout.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        await writer.ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new GateUsageException($"git cat-file failed: {FirstLine(await stderr.ConfigureAwait(false))}");
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var pos = 0;
        while (pos < bytes.Length)
        {
            var eol = bytes[pos..].IndexOf((byte)'\n');
            var header = Encoding.ASCII.GetString(bytes.Slice(pos, eol)).Split(' ');
            pos += eol + 1;
            if (header.Length == 3 && long.TryParse(header[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                result[header[0]] = Encoding.UTF8.GetString(bytes.Slice(pos, (int)size));
                pos += (int)size + 1;
            }
        }

        return result;
    }

    /// <summary>
    /// The versions (commit, blob id) <paramref name="paths"/> had in the last <paramref name="maxCommits"/> commits
    /// touching them, up to <paramref name="commit"/>, newest first, one entry per distinct blob (deletions left out).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, List<(string Commit, string Blob)>>> HistoryAsync(string commit, IReadOnlyCollection<string> paths, int maxCommits, CancellationToken cancellationToken)
    {
        var history = new Dictionary<string, List<(string Commit, string Blob)>>(StringComparer.Ordinal);
        if (paths.Count == 0)
        {
            return history;
        }

        var args = new List<string> { "log", "--format=%x01%H", "--raw", "--no-abbrev", "--no-renames", "-n", maxCommits.ToString(CultureInfo.InvariantCulture), commit, "--" };
        args.AddRange(paths);
        var (code, output, error) = await RunAsync(Root, args, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw new GateUsageException($"git log failed: {FirstLine(error)}");
        }

        var current = string.Empty;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith('\u0001'))
            {
                current = line[1..].Trim();
                continue;
            }

            // ":100644 100644 <old blob> <new blob> M\t<path>"
            if (!line.StartsWith(':'))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var meta = line[1..tab].Split(' ');
            if (meta.Length < 5 || meta[4].StartsWith('D'))
            {
                continue;
            }

            var path = line[(tab + 1)..];
            if (!history.TryGetValue(path, out var blobs))
            {
                history[path] = blobs = [];
            }

            if (!blobs.Any(b => b.Blob == meta[3]))
            {
                blobs.Add((current, meta[3]));
            }
        }

        return history;
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(string directory, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        using var process = Start(directory, args, redirectInput: false);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return (process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static Process Start(string directory, IReadOnlyList<string> args, bool redirectInput)
    {
        var psi = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };

        // Paths come back as they are (no octal quoting) and git never prompts in CI.
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("core.quotepath=off");
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["LC_ALL"] = "C";
        try
        {
            return Process.Start(psi) ?? throw new GateUsageException("could not start git");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new GateUsageException($"could not start git ({e.Message}); the gate needs git on PATH", e);
        }
    }

    private static string FirstLine(string text)
    {
        var trimmed = text.Trim();
        var nl = trimmed.IndexOf('\n', StringComparison.Ordinal);
        return nl < 0 ? trimmed : trimmed[..nl];
    }
}
