using System.Text;
using System.Text.Json;

namespace Autopilot.Engines.Events;

/// <summary>Appends each event as one JSON line to a file (CloudEvents JSON lines).</summary>
public sealed class FileEventSink : IEventSink
{
    private readonly object _gate = new();
    private readonly StreamWriter _writer;

    public FileEventSink(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    public void Publish(IReadOnlyList<CloudEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        lock (_gate)
        {
            foreach (var e in events)
            {
                using var buffer = new MemoryStream();
                using (var json = new Utf8JsonWriter(buffer))
                {
                    CloudEventJson.Write(json, e);
                }

                _writer.Write(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
                _writer.Write('\n');
            }

            _writer.Flush();
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
