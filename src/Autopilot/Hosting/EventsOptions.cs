namespace Autopilot.Host.Hosting;

/// <summary>Where findings and incidents leave Autopilot as CloudEvents.</summary>
public sealed class EventsOptions
{
    /// <summary>File that findings and incidents are appended to as CloudEvents JSON lines; null for none.</summary>
    public string? File { get; set; }

    /// <summary>URL that findings and incidents are POSTed to as CloudEvents batches; null for none.</summary>
    public Uri? Webhook { get; set; }

    /// <summary>
    /// Rotate the events file before it passes this many megabytes: it is renamed to name-UTC time.extension beside it
    /// (as the OpenTelemetry Collector's file exporter rotates) and a new one started. 0 (the default) never rotates.
    /// </summary>
    public int FileMaxMegabytes { get; set; }

    /// <summary>Rotated events files to keep, the newest; older ones are deleted. 0 keeps them all. Default 100.</summary>
    public int FileMaxBackups { get; set; } = 100;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (File is not null && string.IsNullOrWhiteSpace(File))
        {
            throw new ArgumentException("events.file must not be empty; leave it unset for none.");
        }

        if (FileMaxMegabytes is < 0 or > 1_000_000)
        {
            throw new ArgumentException($"events.fileMaxMegabytes must be between 0 and 1000000, got {FileMaxMegabytes}.");
        }

        if (FileMaxBackups is < 0 or > 100_000)
        {
            throw new ArgumentException($"events.fileMaxBackups must be between 0 and 100000, got {FileMaxBackups}.");
        }

        if (Webhook is { } hook && hook.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"events.webhook must be an http or https URL, got '{hook}'.");
        }
    }
}
