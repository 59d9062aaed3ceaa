namespace Autopilot.Agents.Scout;

/// <summary>
/// Counters a running scan updates and a display polls (the scan never calls back into the display, so a
/// slow terminal cannot slow the scan). Safe to read from any thread.
/// </summary>
public sealed class ScoutProgress
{
    private long _filesSeen;
    private long _filesToRead;
    private long _filesRead;
    private int _phase;

    public ScoutPhase Phase => (ScoutPhase)Volatile.Read(ref _phase);

    /// <summary>Files listed so far (vendored and generated folders excluded).</summary>
    public long FilesSeen => Interlocked.Read(ref _filesSeen);

    /// <summary>Files that will be read (build files, configuration, the services' source).</summary>
    public long FilesToRead => Interlocked.Read(ref _filesToRead);

    public long FilesRead => Interlocked.Read(ref _filesRead);

    internal void SetPhase(ScoutPhase phase) => Volatile.Write(ref _phase, (int)phase);

    internal void SetFilesSeen(long count) => Interlocked.Exchange(ref _filesSeen, count);

    internal void SetFilesToRead(long count) => Interlocked.Exchange(ref _filesToRead, count);

    internal void AddFilesRead(long count) => Interlocked.Add(ref _filesRead, count);
}
