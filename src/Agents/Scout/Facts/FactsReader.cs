using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Facts;

/// <summary>Reads the chosen files in parallel (bounded per file) and scans each with the patterns of its kind.</summary>
internal static class FactsReader
{
    /// <summary>Bytes of a runbook read for its front matter.</summary>
    private const int FrontMatterBytes = 4096;

    /// <summary>Files a worker reads before it publishes progress: counters are touched per batch, not per file.</summary>
    private const int ProgressBatch = 64;

    public sealed record Totals(long Bytes, int Truncated, int Generated, int Unreadable);

    /// <summary>Facts per file, in the order given (results never depend on scheduling).</summary>
    public static (FileFacts[] Facts, Totals Totals) Read(IReadOnlyList<RepoFile> files, int maxBytes, int parallelism, ScoutProgress? progress, CancellationToken cancellationToken)
    {
        var facts = new FileFacts[files.Count];
        long bytes = 0;
        int truncated = 0, generated = 0, unreadable = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken };
        Parallel.For(0, files.Count, options, () => 0, (i, _, done) =>
        {
            var f = ScanOne(files[i], maxBytes, out var read);
            facts[i] = f;
            Interlocked.Add(ref bytes, read);
            if (f.Unreadable)
            {
                Interlocked.Increment(ref unreadable);
            }

            if (f.Truncated)
            {
                Interlocked.Increment(ref truncated);
            }

            if (f.Generated)
            {
                Interlocked.Increment(ref generated);
            }

            if (++done >= ProgressBatch)
            {
                progress?.AddFilesRead(done);
                done = 0;
            }

            return done;
        }, done => progress?.AddFilesRead(done));
        return (facts, new Totals(bytes, truncated, generated, unreadable));
    }

    private static FileFacts ScanOne(RepoFile file, int maxBytes, out long read)
    {
        var f = new FileFacts(file);
        var (text, cut) = TextFile.Read(file.FullPath, file.Kind == FileKind.Runbook ? FrontMatterBytes : maxBytes);
        read = text?.Length ?? 0;
        if (text is null)
        {
            f.Unreadable = true;
            return f;
        }

        f.Truncated = cut && file.Kind != FileKind.Runbook;
        if (file.Kind is >= FileKind.Java and <= FileKind.CSharp && TextFile.LooksGenerated(text))
        {
            f.Generated = true;
            return f;
        }

        switch (file.Kind)
        {
            case FileKind.Runbook:
                f.FrontMatter = FrontMatter(text);
                return f;
            case FileKind.Contract or FileKind.Compose:
                f.Text = text; // parsed afterwards, in path order
                break;
            case FileKind.SpringConfig:
                f.Properties = SpringProperties.Read(file.RelPath, text);
                break;
        }

        if (SourcePatterns.ForKind(file.Kind) is { } set)
        {
            LineScanner.Scan(f, text, set);
        }

        return f;
    }

    private static string? FrontMatter(string text)
    {
        if (!text.StartsWith("---", StringComparison.Ordinal))
        {
            return null;
        }

        var end = text.IndexOf("\n---", 3, StringComparison.Ordinal);
        return end < 0 ? null : text[3..end];
    }
}
