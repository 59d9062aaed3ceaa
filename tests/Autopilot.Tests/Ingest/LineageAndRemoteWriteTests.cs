using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Autopilot.Ingest.Signals;

namespace Autopilot.Host.Tests.Ingest;

public sealed class LineageAndRemoteWriteTests
{
    private static string SharedData(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Autopilot.sln")))
            {
                return Path.Combine([dir.FullName, "..", "shared", "data", .. parts]);
            }
        }

        throw new DirectoryNotFoundException("no Autopilot.sln above the test directory");
    }

    [Fact]
    public async Task EveryOpenLineageEvent_IsAnswered201Or400_AndAcceptedJobsAppear()
    {
        await using var server = await TestServer.StartAsync();
        var files = Directory.GetFiles(SharedData("openlineage", "events"), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(61, files.Count);
        var accepted = new List<string>();
        foreach (var file in files)
        {
            using var content = new StringContent(await File.ReadAllTextAsync(file), Encoding.UTF8, "application/json");
            using var response = await server.Http.PostAsync(new Uri("/api/v1/lineage", UriKind.Relative), content);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest, $"{Path.GetFileName(file)}: {response.StatusCode} {body}");
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                // A refusal names the JSON path of the problem.
                Assert.Contains("$", JsonDocument.Parse(body).RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
                continue;
            }

            accepted.Add(file);
        }

        // 34 of the files are test templates or deliberately broken (no eventTime, producer or runId, a
        // string row count); the decoder's golden tests pin each file's outcome.
        Assert.Equal(27, accepted.Count);
        var first = JsonDocument.Parse(await File.ReadAllTextAsync(accepted[0])).RootElement.GetProperty("job");
        var jobUrn = Urn.Create("job", first.GetProperty("namespace").GetString()!, first.GetProperty("name").GetString()!);
        var asset = await server.WaitForAssetAsync(jobUrn, "lineage", 1);
        Assert.Equal("job", asset.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task RealPrometheus_RemoteWritesIntoAutopilot()
    {
        const string prometheusBinary = "/usr/bin/prometheus";
        Assert.True(File.Exists(prometheusBinary), $"{prometheusBinary} is missing: ./test.sh installs Debian's prometheus package.");
        await using var server = await TestServer.StartAsync();
        var temp = Directory.CreateTempSubdirectory("autopilot-prom-");
        var port = Hosting.ServeProcessTests.FreePort();
        var config = Path.Combine(temp.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: prometheus
                static_configs:
                  - targets: ['127.0.0.1:{port}']
            remote_write:
              - url: http://127.0.0.1:{server.HttpPort}/api/v1/write
                queue_config:
                  batch_send_deadline: 1s
            """);
        using var prometheus = Process.Start(new ProcessStartInfo(prometheusBinary)
        {
            ArgumentList = { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(temp.FullName, "data")}", $"--web.listen-address=127.0.0.1:{port}" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        prometheus.ErrorDataReceived += (_, _) => { };
        prometheus.OutputDataReceived += (_, _) => { };
        prometheus.BeginErrorReadLine();
        prometheus.BeginOutputReadLine();
        try
        {
            // Prometheus labels its own series job="prometheus": the remote-write rule makes that the service.
            var asset = await server.WaitForAssetAsync("urn:autopilot:service:default:prometheus", "metrics", 100, timeoutSeconds: 90);
            Assert.True(asset.GetProperty("metrics").GetInt64() >= 100);
            var metrics = await server.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains("autopilot_ingest_items_total{outcome=\"accepted\",protocol=\"prometheus\",signal=\"metrics\"}", metrics, StringComparison.Ordinal);
        }
        finally
        {
            prometheus.Kill(entireProcessTree: true);
            await prometheus.WaitForExitAsync();
            temp.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task RemoteWrite_GarbageBody_Is400WithPlainTextReason()
    {
        await using var server = await TestServer.StartAsync();
        using var content = new ByteArrayContent([1, 2, 3, 4, 5]);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        using var response = await server.Http.PostAsync(new Uri("/api/v1/write", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("snappy", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
