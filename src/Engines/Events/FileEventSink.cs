using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Autopilot.Engines.Events;

/// <summary>
/// Appends each event as one JSON line to a file (CloudEvents JSON lines). With a size limit the file rotates as the
/// OpenTelemetry Collector's file exporter rotates its own: when the next line would take it past the limit it is renamed
/// to <c>&lt;name&gt;-&lt;UTC time&gt;&lt;extension&gt;</c> beside it (e.g. <c>events-2026-12-07T16-58-03.125.jsonl</c>), a new
/// file is started, and the oldest backups beyond the number to keep are deleted. Never throws into the caller: a line
/// that cannot be written (disk full, no permission, an I/O error) is counted in <see cref="Dropped"/> and in
/// <c>autopilot.events.dropped</c>, the failure is reported once to <c>onError</c>, and the next batch opens the file
/// again. A file removed, moved away or truncated under it (logrotate, a cleanup job) is noticed at the next batch,
/// which opens the path again.
/// </summary>
public sealed class FileEventSink : IEventSink
{
    private const string StampFormat = "yyyy-MM-dd'T'HH-mm-ss.fff";
    private readonly object _gate = new();
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly int _maxBackups;
    private readonly Action<Exception>? _onError;
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _json;
    private FileStream? _file;
    private long _length;
    private long _written;
    private long _dropped;
    private bool _failing;

    // Lines handed to the file stream since its last flush: lost with it if the flush fails.
    private long _pending;
    private bool _disposed;

    /// <param name="path">The file; its directory is created if missing.</param>
    /// <param name="maxBytes">Rotate before the file would pass this many bytes; 0 never rotates.</param>
    /// <param name="maxBackups">Rotated files to keep (the newest); 0 keeps them all.</param>
    /// <param name="onError">Told of the first failure of a run of failures (not of every line): for the server's log.</param>
    public FileEventSink(string path, long maxBytes = 0, int maxBackups = 0, Action<Exception>? onError = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBackups);
        _path = Path.GetFullPath(path);
        _maxBytes = maxBytes;
        _maxBackups = maxBackups;
        _onError = onError;
        _json = new Utf8JsonWriter(_line);
        Open(); // a path that cannot be opened at all is the caller's mistake: say so at start-up
    }

    /// <summary>Lines written and flushed to the file.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Events that could not be written.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(IReadOnlyList<CloudEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var done = 0;
            try
            {
                if (_file is not null && ReplacedUnderUs())
                {
                    Close(); // everything written to it was flushed at the end of the last batch
                }

                for (; done < events.Count; done++)
                {
                    _line.ResetWrittenCount();
                    _json.Reset();
                    CloudEventJson.Write(_json, events[done]);
                    _json.Flush();
                    _line.GetSpan(1)[0] = (byte)'\n';
                    _line.Advance(1);
                    Append(_line.WrittenSpan);
                }

                Flush();
                _failing = false;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Lines flushed before the failure are in the file; the rest of the batch is lost, and counted.
                var lost = _pending + (events.Count - done);
                _pending = 0;
                Interlocked.Add(ref _dropped, lost);
                EventSinkMetrics.Dropped("file", lost);
                Close();
                if (!_failing)
                {
                    _failing = true;
                    _onError?.Invoke(e);
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
            try
            {
                _file?.Flush();
            }
            catch (IOException)
            {
                // Nothing more can be done with those lines at shutdown.
            }

            Close();
            _json.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private void Append(ReadOnlySpan<byte> line)
    {
        if (_file is null)
        {
            Open();
        }

        if (_maxBytes > 0 && _length > 0 && _length + line.Length > _maxBytes)
        {
            Rotate();
        }

        _file!.Write(line);
        _length += line.Length;
        _pending++;
    }

    private void Flush()
    {
        if (_file is null)
        {
            return; // nothing was written since the file was closed
        }

        _file.Flush();
        Interlocked.Add(ref _written, _pending);
        _pending = 0;
    }

    /// <summary>Opens the file for appending (creating it, and its directory, when missing).</summary>
    private void Open()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _length = _file.Length;
    }

    /// <summary>
    /// Whether the path no longer names what this sink has open: the file was removed, moved away (log rotation by
    /// rename, with or without a new file in its place) or truncated (copytruncate). The next line then opens the path
    /// again, as <c>tail -F</c> follows it, instead of going to a file no one will read (a removed file's lines were
    /// lost) or counting a truncated file's old size towards the rotation limit. One stat a batch; only for a regular
    /// file (a pipe or a terminal has no size to compare).
    /// </summary>
    private bool ReplacedUnderUs()
    {
        if (!_file!.CanSeek)
        {
            return false;
        }

        var info = new FileInfo(_path);
        return !info.Exists || info.Length < _length;
    }

    private void Close()
    {
        try
        {
            _file?.Dispose();
        }
        catch (IOException)
        {
            // The stream's last buffered bytes could not go out: they are counted as dropped already.
        }

        _file = null;
    }

    /// <summary>Renames the full file to a backup named by the time, starts a new one, and keeps the newest backups.</summary>
    private void Rotate()
    {
        Flush();
        Close();
        var directory = Path.GetDirectoryName(_path)!;
        var name = Path.GetFileNameWithoutExtension(_path);
        var extension = Path.GetExtension(_path);
        // Named by the time, and later than every backup there (a millisecond after the newest when the clock has not
        // moved past it), so the names sort as the files were made and the oldest go first.
        var backups = Backups(directory, name, extension);
        var now = DateTime.UtcNow;
        var at = new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc); // as the name has it
        if (backups.Count > 0 && StampOf(backups[^1], name, extension) is { } newest && newest >= at)
        {
            at = newest.AddMilliseconds(1);
        }

        var backup = Path.Combine(directory, $"{name}-{at.ToString(StampFormat, CultureInfo.InvariantCulture)}{extension}");
        File.Move(_path, backup);
        backups.Add(backup);
        Open();
        for (var i = 0; _maxBackups > 0 && i < backups.Count - _maxBackups; i++)
        {
            File.Delete(backups[i]);
        }
    }

    /// <summary>The backups of this file beside it, oldest first (their names sort by time).</summary>
    private static List<string> Backups(string directory, string name, string extension)
    {
        var backups = Directory.GetFiles(directory, $"{name}-????-??-??T??-??-??.???{extension}").ToList();
        backups.Sort(StringComparer.Ordinal);
        return backups;
    }

    private static DateTime? StampOf(string backup, string name, string extension)
    {
        var file = Path.GetFileName(backup);
        var stamp = file.Substring(name.Length + 1, file.Length - name.Length - 1 - extension.Length);
        return DateTime.TryParseExact(stamp, StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
