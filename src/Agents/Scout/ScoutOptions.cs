namespace Autopilot.Agents.Scout;

/// <summary>What to scan and how. Each default lives here and nowhere else.</summary>
public sealed class ScoutOptions
{
    /// <summary>The repository (or any folder) to scan.</summary>
    public required string RepoPath { get; init; }

    /// <summary>The name the plan gives the repository; the folder name when null.</summary>
    public string? RepoName { get; init; }

    /// <summary>At most this many bytes are read of any one file; longer files are scanned up to their last whole line before it. Default 256 KiB.</summary>
    public int MaxFileBytes { get; init; } = 256 * 1024;

    /// <summary>Files read and scanned at once. Default: one per core.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>The OTLP endpoint planned changes configure when the repository does not show one (a Collector in docker-compose wins). Default Autopilot's own OTLP/HTTP port.</summary>
    public string OtlpEndpoint { get; init; } = "http://localhost:4318";

    /// <summary>Ask <c>git</c> for the commit checked out. Default on.</summary>
    public bool ReadGitHead { get; init; } = true;

    /// <summary>The clock for <see cref="RepoInfo.GeneratedAt"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(RepoPath))
        {
            throw new ArgumentException("the repository path is empty.", nameof(RepoPath));
        }

        if (!Directory.Exists(RepoPath))
        {
            throw new ArgumentException(File.Exists(RepoPath) ? $"'{RepoPath}' is not a directory." : $"'{RepoPath}' does not exist.", nameof(RepoPath));
        }

        if (MaxFileBytes is < 1024 or > 64 * 1024 * 1024)
        {
            throw new ArgumentException($"MaxFileBytes must be between 1 KiB and 64 MiB, not {MaxFileBytes}.", nameof(MaxFileBytes));
        }

        if (MaxDegreeOfParallelism < 1)
        {
            throw new ArgumentException($"MaxDegreeOfParallelism must be at least 1, not {MaxDegreeOfParallelism}.", nameof(MaxDegreeOfParallelism));
        }

        if (!Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"OtlpEndpoint '{OtlpEndpoint}' is not an http:// or https:// address.", nameof(OtlpEndpoint));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
