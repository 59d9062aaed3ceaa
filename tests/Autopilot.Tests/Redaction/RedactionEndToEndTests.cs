using System.Diagnostics;
using System.Text;
using Autopilot.Host.Tests.Ingest;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Autopilot.Host.Tests.Redaction;

/// <summary>
/// The official OTel SDK sends a span with a password attribute and a log with an e-mail address; nothing
/// Autopilot writes to disk or answers on its API may contain them. With redaction off the same bytes are
/// found, so the search itself is shown to work.
/// </summary>
public sealed class RedactionEndToEndTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SdkTelemetryWithSecrets_IsRedactedBeforeTheLog(bool redact)
    {
        var id = Guid.NewGuid().ToString("N");
        var password = "hunter2-" + id;
        var email = $"ann.{id}@example.org";
        var token = "tok" + id;
        var service = "shop-" + id[..8];
        await using var server = await TestServer.StartAsync(o => o.Redaction.Enabled = redact);

        var sourceName = "autopilot.tests." + id;
        using var source = new ActivitySource(sourceName);
        using (var tracer = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service))
            .AddSource(sourceName)
            .AddOtlpExporter(o => Configure(o, server, OtlpExportProtocol.Grpc))
            .Build())
        {
            using (var activity = source.StartActivity("POST /login", ActivityKind.Server))
            {
                activity?.SetTag("db.password", password);
                activity?.SetTag("http.route", "/login");
            }

            Assert.True(tracer.ForceFlush(30_000));
        }

        using (var loggers = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service));
                o.IncludeScopes = true;
                o.AddOtlpExporter(e => Configure(e, server, OtlpExportProtocol.HttpProtobuf));
            })))
        {
            var logger = loggers.CreateLogger("mail");
            using (logger.BeginScope(new Dictionary<string, object> { ["http.request.header.authorization"] = "Bearer " + token }))
            {
#pragma warning disable CA1848, CA2254 // the message is the payload under test
                logger.LogInformation("welcome mail sent to " + email);
#pragma warning restore CA1848, CA2254
            }
        }

        var urn = $"urn:autopilot:service:default:{service}";
        await server.WaitForAssetAsync(urn, "spans", 1);
        await server.WaitForAssetAsync(urn, "logs", 1);

        var api = await server.Http.GetStringAsync(new Uri("/api/assets?q=" + service, UriKind.Relative))
            + await server.Http.GetStringAsync(new Uri("/api/findings", UriKind.Relative));
        var secrets = new[] { password, email, token };
        var found = secrets.Where(s => FilesContaining(server.DataDirectory, s).Any() || api.Contains(s, StringComparison.Ordinal)).ToList();
        if (redact)
        {
            Assert.Empty(found);
            Assert.Empty(secrets.SelectMany(s => FilesContaining(server.DataDirectory, s)));
        }
        else
        {
            // The raw request bodies are in the write-ahead log: the search finds every secret there.
            Assert.Equal(secrets, found);
            Assert.All(secrets, s => Assert.Contains(FilesContaining(server.DataDirectory, s), f => f.Contains("wal", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task RedactedRequest_ReplaysFromTheLogAfterKillDashNine()
    {
        // The log keeps such a request as its redacted signals: after a crash the inventory is rebuilt from
        // that record (the inventory file is removed, and engine snapshots are an hour apart, so the log's
        // checkpoint cannot have passed the request), and the secret is nowhere on disk.
        using var dir = new Hosting.TempDirectory();
        var id = Guid.NewGuid().ToString("N");
        var service = "replay-" + id[..8];
        var json = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"{{{service}}}"}}]},
              "scopeSpans":[{"spans":[
                {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"login","kind":2,"startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000100000000",
                 "attributes":[{"key":"user.password","value":{"stringValue":"pw-{{{id}}}"}}]}]}]}]}
            """;
        var (grpcPort, httpPort) = (Hosting.ServeProcessTests.FreePort(), Hosting.ServeProcessTests.FreePort());
        using (var process = Hosting.AutopilotProcess.Start(
            $"serve --grpc-port {grpcPort} --http-port {httpPort} --data-dir {dir.Path}",
            environment: new Dictionary<string, string?> { ["AUTOPILOT_ENGINES__SNAPSHOT_INTERVAL"] = "1h" }))
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
            await Hosting.AutopilotProcess.PollAsync(() => http.GetStringAsync(new Uri("/healthz", UriKind.Relative)), TimeSpan.FromSeconds(30));
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/v1/traces", UriKind.Relative), content);
            response.EnsureSuccessStatusCode(); // acknowledged = in the log
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        foreach (var file in Directory.GetFiles(dir.Path, "inventory.db*"))
        {
            File.Delete(file);
        }

        await using var restarted = await TestServer.StartAsync(dataDirectory: dir.Path);
        var asset = await restarted.WaitForAssetAsync($"urn:autopilot:service:default:{service}", "spans", 1);
        Assert.Equal(1, asset.GetProperty("spans").GetInt64());
        Assert.Empty(FilesContaining(dir.Path, "pw-" + id));
    }

    private static IEnumerable<string> FilesContaining(string directory, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == "lock")
            {
                continue; // the log's lock file: empty, and held exclusively by the server
            }

            byte[] bytes;
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            using (var copy = new MemoryStream())
            {
                stream.CopyTo(copy);
                bytes = copy.ToArray();
            }

            if (bytes.AsSpan().IndexOf(needle) >= 0)
            {
                yield return file;
            }
        }
    }

    private static void Configure(OtlpExporterOptions options, TestServer server, OtlpExportProtocol protocol)
    {
        options.Protocol = protocol;
        options.Endpoint = protocol == OtlpExportProtocol.Grpc ? server.GrpcEndpoint : new Uri(server.HttpEndpoint, "/v1/logs");
        options.ExportProcessorType = ExportProcessorType.Simple;
        options.TimeoutMilliseconds = 30_000;
    }
}
