namespace Autopilot.Agents.Validate;

/// <summary>One validation run: the service command, the two files, and how to talk to the service.</summary>
public sealed class ValidationOptions
{
    public static readonly IReadOnlyList<string> Protocols = ["grpc", "http/protobuf", "http/json"];

    /// <summary>Shell command that starts the service (run with <c>/bin/sh -c</c>).</summary>
    public string Command { get; set; } = string.Empty;

    public string TrafficPath { get; set; } = string.Empty;

    public string ExpectPath { get; set; } = string.Empty;

    /// <summary>OTEL_EXPORTER_OTLP_PROTOCOL given to the service: grpc, http/protobuf (default) or http/json.</summary>
    public string Protocol { get; set; } = "http/protobuf";

    /// <summary>OTEL_SERVICE_NAME given to the service; null leaves it to the service.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Where the command runs (and whose git HEAD the report records); default the current directory.</summary>
    public string WorkingDirectory { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>More environment variables for the service; they override the validator's own.</summary>
    public IDictionary<string, string> Environment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long to wait for the expected telemetry after the traffic; null: expect.yaml's collectTimeout, else 15 s.</summary>
    public TimeSpan? CollectTimeout { get; set; }

    /// <summary>How long the service gets to exit after SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan DefaultCollectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Throws <see cref="ValidationConfigException"/> naming the first problem.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Command))
        {
            throw new ValidationConfigException("--run: the command that starts the service is required");
        }

        if (!Protocols.Contains(Protocol, StringComparer.Ordinal))
        {
            throw new ValidationConfigException($"--protocol: '{Protocol}' is not one of {string.Join(", ", Protocols)}");
        }

        if (!Directory.Exists(WorkingDirectory))
        {
            throw new ValidationConfigException($"--workdir: no directory '{WorkingDirectory}'");
        }

        if (CollectTimeout is { } c && (c <= TimeSpan.Zero || c > TimeSpan.FromHours(1)))
        {
            throw new ValidationConfigException("--collect-timeout: must be above 0 and at most 1h");
        }

        if (StopTimeout <= TimeSpan.Zero || StopTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ValidationConfigException("--stop-timeout: must be above 0 and at most 10m");
        }

        foreach (var key in Environment.Keys)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal))
            {
                throw new ValidationConfigException($"--env: '{key}' is not a variable name");
            }
        }

        foreach (var (option, path) in new[] { ("--traffic", TrafficPath), ("--expect", ExpectPath) })
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new ValidationConfigException($"{option}: a file is required");
            }

            if (!File.Exists(path))
            {
                throw new ValidationConfigException($"{option}: no such file '{path}'");
            }
        }
    }
}
