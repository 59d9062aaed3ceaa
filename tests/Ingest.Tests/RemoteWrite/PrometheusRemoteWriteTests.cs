using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Autopilot.Ingest.RemoteWrite;
using Autopilot.Ingest.Signals;

namespace Autopilot.Ingest.Tests.RemoteWrite;

/// <summary>
/// A real Prometheus 2.42 (Debian's binary) scrapes itself every second and remote-writes to a listener
/// in this test; the captured bodies must decode into its own series with their labels.
/// </summary>
public sealed class PrometheusRemoteWriteTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Decode_RealPrometheusRemoteWrite_UpAndBuildInfoArrive()
    {
        Assert.True(File.Exists(PrometheusBinary),
            $"{PrometheusBinary} is missing: this test needs a real Prometheus. Install it with `apt-get update && apt-get install -y prometheus`.");

        var temp = Directory.CreateTempSubdirectory("autopilot-prom-");
        var receiverPort = FreePort();
        var prometheusPort = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{receiverPort}/");
        listener.Start();

        var signals = new ConcurrentQueue<Signal>();
        var problems = new ConcurrentQueue<string>();
        var requests = 0;
        using var stop = new CancellationTokenSource(Timeout);
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var receiver = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (Exception) when (stop.IsCancellationRequested || !listener.IsListening)
                {
                    return;
                }

                Handle(context, signals, problems, ref requests);
                if (HasExpectedSeries(signals, prometheusPort))
                {
                    seen.TrySetResult();
                }
            }
        });

        var config = Path.Combine(temp.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ['127.0.0.1:{prometheusPort}']
            remote_write:
              - url: http://127.0.0.1:{receiverPort}/api/v1/write
                queue_config:
                  batch_send_deadline: 1s
                  max_samples_per_send: 500
            """);
        var log = new StringBuilder();
        using var prometheus = new Process
        {
            StartInfo = new ProcessStartInfo(PrometheusBinary)
            {
                ArgumentList =
                {
                    $"--config.file={config}",
                    $"--storage.tsdb.path={Path.Combine(temp.FullName, "data")}",
                    $"--web.listen-address=127.0.0.1:{prometheusPort}",
                },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            },
        };
        prometheus.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        prometheus.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        try
        {
            Assert.True(prometheus.Start());
            prometheus.BeginErrorReadLine();
            prometheus.BeginOutputReadLine();

            var exited = prometheus.WaitForExitAsync(stop.Token);
            var first = await Task.WhenAny(seen.Task, exited, Task.Delay(Timeout, stop.Token));
            Assert.True(first == seen.Task,
                $"No 'up' and 'prometheus_build_info' from Prometheus within {Timeout.TotalSeconds}s (requests: {requests}, signals: {signals.Count}, " +
                $"exited: {prometheus.HasExited}, problems: {string.Join("; ", problems)}).\nPrometheus log:\n{Tail(log)}");
        }
        finally
        {
            if (!prometheus.HasExited)
            {
                prometheus.Kill(entireProcessTree: true);
            }

            await prometheus.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
            await stop.CancelAsync();
            listener.Stop();
            await receiver.WaitAsync(TimeSpan.FromSeconds(15));
            temp.Delete(recursive: true);
        }

        Assert.Empty(problems);
        var snapshot = signals.ToArray();
        var up = snapshot.Last(s => s.Name == "up" && s.Attributes.Get("job") == "prometheus");
        Assert.Equal(SignalKind.Metric, up.Kind);
        Assert.Equal(1d, up.Value);
        Assert.Equal("urn:autopilot:service:default:prometheus", up.Urn);
        Assert.Equal($"127.0.0.1:{prometheusPort}", up.Attributes.Get("instance"));
        Assert.Null(up.Attributes.Get("__name__"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        Assert.InRange(up.TimeUnixNano, now - (long)TimeSpan.FromMinutes(5).TotalNanoseconds, now + (long)TimeSpan.FromMinutes(1).TotalNanoseconds);
        Assert.Equal(0, up.TimeUnixNano % 1_000_000);

        var build = snapshot.Last(s => s.Name == "prometheus_build_info");
        Assert.Equal(1d, build.Value);
        Assert.StartsWith("2.42", build.Attributes.Get("version"), StringComparison.Ordinal);
        Assert.Equal("prometheus", build.Attributes.Get("job"));
        Assert.NotNull(build.Attributes.Get("goversion"));
        Assert.Contains(snapshot, s => s.Name == "scrape_duration_seconds" && s.Attributes.Get("job") == "prometheus");
    }

    private static void Handle(HttpListenerContext context, ConcurrentQueue<Signal> signals, ConcurrentQueue<string> problems, ref int requests)
    {
        Interlocked.Increment(ref requests);
        var request = context.Request;
        using var body = new MemoryStream();
        request.InputStream.CopyTo(body);
        try
        {
            if (request.HttpMethod != "POST" || request.Url?.AbsolutePath != "/api/v1/write")
            {
                problems.Enqueue($"unexpected {request.HttpMethod} {request.Url?.AbsolutePath}");
            }
            else if (request.Headers["Content-Encoding"] != "snappy" || request.Headers["X-Prometheus-Remote-Write-Version"] is not { } version || !version.StartsWith("0.1", StringComparison.Ordinal))
            {
                problems.Enqueue($"unexpected headers: {request.Headers}");
            }

            var decoded = new List<Signal>();
            RemoteWriteDecoder.Decode(body.GetBuffer().AsSpan(0, (int)body.Length), decoded);
            foreach (var signal in decoded)
            {
                signals.Enqueue(signal);
            }

            context.Response.StatusCode = (int)HttpStatusCode.NoContent;
        }
        catch (RemoteWriteFormatException ex)
        {
            problems.Enqueue(ex.Message);
            context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
        }
        finally
        {
            context.Response.Close();
        }
    }

    private static bool HasExpectedSeries(ConcurrentQueue<Signal> signals, int prometheusPort)
    {
        var instance = "127.0.0.1:" + prometheusPort.ToString(CultureInfo.InvariantCulture);
        bool up = false, build = false;
        foreach (var s in signals)
        {
            up |= s.Name == "up" && s.Attributes.Get("instance") == instance;
            build |= s.Name == "prometheus_build_info";
        }

        return up && build;
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static string Tail(StringBuilder log)
    {
        lock (log)
        {
            var text = log.ToString();
            return text.Length <= 4000 ? text : text[^4000..];
        }
    }
}
