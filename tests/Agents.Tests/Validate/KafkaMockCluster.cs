using System.Diagnostics;

namespace Autopilot.Agents.Tests.Validate;

/// <summary>
/// librdkafka's mock cluster (three real Kafka-protocol brokers on 127.0.0.1) in a child process
/// (tests/KafkaMockCluster): no Kafka broker package exists on these machines. The topics are created before
/// <see cref="StartAsync"/> returns; disposing closes the child's stdin, which ends it.
/// </summary>
internal sealed class KafkaMockCluster : IAsyncDisposable
{
    private readonly Process _process;

    private KafkaMockCluster(Process process, string bootstrapServers)
    {
        _process = process;
        BootstrapServers = bootstrapServers;
    }

    public string BootstrapServers { get; }

    public static async Task<KafkaMockCluster> StartAsync(params string[] topics)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "KafkaMockCluster", "Autopilot.KafkaMockCluster.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"the Kafka mock cluster helper was not built next to the tests: {dll}");
        }

        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var topic in topics)
        {
            start.ArgumentList.Add(topic);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the Kafka mock cluster helper");
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("bootstrap=", StringComparison.Ordinal))
                {
                    return new KafkaMockCluster(process, line["bootstrap=".Length..]);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"the Kafka mock cluster did not start: {await stderr}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
