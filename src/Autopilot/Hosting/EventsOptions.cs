namespace Autopilot.Host.Hosting;

/// <summary>Where findings and incidents leave Autopilot as CloudEvents.</summary>
public sealed class EventsOptions
{
    /// <summary>File that findings and incidents are appended to as CloudEvents JSON lines; null for none.</summary>
    public string? File { get; set; }

    /// <summary>URL that findings and incidents are POSTed to as CloudEvents batches; null for none.</summary>
    public Uri? Webhook { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (File is not null && string.IsNullOrWhiteSpace(File))
        {
            throw new ArgumentException("events.file must not be empty; leave it unset for none.");
        }

        if (Webhook is { } hook && hook.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"events.webhook must be an http or https URL, got '{hook}'.");
        }
    }
}
