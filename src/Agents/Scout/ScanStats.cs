namespace Autopilot.Agents.Scout;

/// <summary>How a scan went: what it read and what it left alone.</summary>
/// <param name="FilesScanned">Files listed (vendored and generated folders excluded); the plan's <c>files_scanned</c>.</param>
/// <param name="FilesRead">Files opened: build files, configuration, the services' non-test source.</param>
/// <param name="BytesRead">Bytes read, after the per-file cap.</param>
/// <param name="FilesTruncated">Files longer than the cap, scanned up to it.</param>
/// <param name="GeneratedFilesSkipped">Files with a generated-code header.</param>
/// <param name="SkippedDirectories">Vendored, generated, tool and virtual-environment folders not descended into.</param>
/// <param name="EscapingLinks">Symbolic links pointing outside the repository (or looping), repository-relative; never followed.</param>
/// <param name="LibrariesSkipped">Projects that are libraries, aggregators, test projects or front ends rather than services.</param>
/// <param name="UnreadableEntries">Folders that could not be listed and files that could not be read or parsed.</param>
/// <param name="Elapsed">Wall time of the scan.</param>
public sealed record ScanStats(
    int FilesScanned,
    int FilesRead,
    long BytesRead,
    int FilesTruncated,
    int GeneratedFilesSkipped,
    int SkippedDirectories,
    IReadOnlyList<string> EscapingLinks,
    int LibrariesSkipped,
    int UnreadableEntries,
    TimeSpan Elapsed);
