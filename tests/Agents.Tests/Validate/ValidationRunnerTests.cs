using Autopilot.Agents.Validate;

namespace Autopilot.Agents.Tests.Validate;

/// <summary>
/// The validator end to end against real child processes: the instrumented Orders sample (OpenTelemetry SDK +
/// OTLP exporter over gRPC and HTTP/protobuf, OpenLineage over HTTP), its uninstrumented twin, broken
/// propagation, and services that die or never become ready.
/// </summary>
public sealed class ValidationRunnerTests : IDisposable
{
    private readonly SampleRun _run = new();

    public void Dispose() => _run.Dispose();

    [Theory]
    [InlineData("grpc")]
    [InlineData("http/protobuf")]
    public async Task Run_InstrumentedSample_PassesWithEvidenceFromRealTraces(string protocol)
    {
        var outcome = await new ValidationRunner().RunAsync(_run.Options(SampleRun.OrdersCommand, protocol: protocol));

        Assert.True(outcome.ExitCode == ValidateExitCodes.Pass, outcome.Markdown);
        var report = outcome.Report;
        Assert.Equal(Verdict.Pass, report.Verdict);
        Assert.All(report.Checks, c => Assert.NotEqual(CheckStatus.Fail, c.Status));
        Assert.Null(report.Process);
        Assert.Equal(protocol, report.Receiver.Protocol);
        Assert.Equal(6, report.Traffic.RequestsSent);
        Assert.Equal(["inventory", "orders", "orders-worker"], report.Received.Services);
        Assert.Contains("http.server.request.duration", report.Received.MetricNames);
        Assert.Equal(2, report.Received.LineageEvents);

        // Every trace id offered as evidence is one the service itself created for a server span.
        var real = _run.TraceIdsWrittenByService();
        var spanCheck = SampleRun.Check(report, "span:server GET /orders/{id} @ orders");
        Assert.NotEmpty(spanCheck.Evidence.TraceIds);
        Assert.All(report.Checks.SelectMany(c => c.Evidence.TraceIds), id => Assert.Contains(id, real));
        Assert.All(spanCheck.Evidence.SampleSpans, s =>
        {
            Assert.Equal("GET", s.Attributes["http.request.method"]);
            Assert.Equal("/orders/42", s.Attributes["url.path"]);
        });

        // The propagation evidence is a real parent/child pair across the hop.
        var hop = SampleRun.Check(report, "propagation:orders calls inventory");
        Assert.Equal(CheckStatus.Pass, hop.Status);
        var (client, server) = (hop.Evidence.SampleSpans[0], hop.Evidence.SampleSpans[1]);
        Assert.Equal(("orders", "client"), (client.Service, client.Kind));
        Assert.Equal(("inventory", "server"), (server.Service, server.Kind));
        Assert.Equal(client.TraceId, server.TraceId);
        Assert.Equal(client.SpanId, server.ParentSpanId);

        await SampleRun.AssertMatchesSchemaAsync(report);
        Assert.Contains("— PASS", outcome.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConsumerLinkedToProducer_MessageHopPassesThroughTheLink()
    {
        var options = _run.Options(SampleRun.OrdersCommand);
        options.Environment["SAMPLE_CONSUMER_LINK_ONLY"] = "1";

        var outcome = await new ValidationRunner().RunAsync(options);

        var hop = SampleRun.Check(outcome.Report, "message_headers:order messages");
        Assert.True(hop.Status == CheckStatus.Pass, hop.Message);
        var (producer, consumer) = (hop.Evidence.SampleSpans[0], hop.Evidence.SampleSpans[1]);
        Assert.Equal("producer", producer.Kind);
        Assert.Equal("consumer", consumer.Kind);

        // A new trace: only the span link read from the OTLP payload ties the consumer to its producer.
        Assert.Null(consumer.ParentSpanId);
        Assert.NotEqual(producer.TraceId, consumer.TraceId);
        Assert.Equal(ValidateExitCodes.Pass, outcome.ExitCode);
    }

    [Fact]
    public async Task Run_UninstrumentedSample_FailsWithReasonsADeveloperCanActOn()
    {
        var options = _run.Options(SampleRun.PlainCommand);
        options.CollectTimeout = TimeSpan.FromSeconds(2);

        var outcome = await new ValidationRunner().RunAsync(options);

        Assert.Equal(ValidateExitCodes.Fail, outcome.ExitCode);
        var report = outcome.Report;
        Assert.Equal(Verdict.Fail, report.Verdict);
        Assert.Equal(0, report.Received.Spans);
        Assert.Equal(CheckStatus.Pass, SampleRun.Check(report, "traffic").Status);

        var telemetry = SampleRun.Check(report, "telemetry:orders");
        Assert.Equal(CheckStatus.Fail, telemetry.Status);
        Assert.Contains("no spans received from service 'orders'", telemetry.Message, StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", telemetry.Message, StringComparison.Ordinal);
        Assert.Contains("is the OTel SDK initialised", SampleRun.Check(report, "span:server GET /orders/{id} @ orders").Message, StringComparison.Ordinal);
        Assert.Contains("MeterProvider", SampleRun.Check(report, "metric:http.server.request.duration").Message, StringComparison.Ordinal);
        Assert.Contains("OPENLINEAGE_URL", SampleRun.Check(report, "lineage:orders/orders.daily_export").Message, StringComparison.Ordinal);
        Assert.Contains("hop orders → inventory", SampleRun.Check(report, "propagation:orders calls inventory").Message, StringComparison.Ordinal);

        // A failed run carries the service's own output.
        Assert.NotNull(report.Process);
        Assert.False(report.Process.ExitedEarly);
        Assert.Contains(report.Process.StdoutTail, l => l.StartsWith("plain sample listening", StringComparison.Ordinal));
        Assert.Contains("plain sample listening", outcome.Markdown, StringComparison.Ordinal);
        await SampleRun.AssertMatchesSchemaAsync(report);
    }

    [Fact]
    public async Task Run_TraceparentDroppedOnTheHttpHop_FailsNamingTheHop()
    {
        var options = _run.Options(SampleRun.OrdersCommand);
        options.Environment["SAMPLE_DROP_TRACEPARENT"] = "http";
        options.CollectTimeout = TimeSpan.FromSeconds(4);

        var outcome = await new ValidationRunner().RunAsync(options);

        Assert.Equal(ValidateExitCodes.Fail, outcome.ExitCode);
        var hop = SampleRun.Check(outcome.Report, "propagation:orders calls inventory");
        Assert.Equal(CheckStatus.Fail, hop.Status);
        Assert.Contains("hop orders → inventory", hop.Message, StringComparison.Ordinal);
        Assert.Contains("start a new trace (no parent)", hop.Message, StringComparison.Ordinal);
        Assert.Contains("traceparent", hop.Message, StringComparison.Ordinal);

        // Evidence: the client span and an orphaned server span in different traces.
        var (client, server) = (hop.Evidence.SampleSpans[0], hop.Evidence.SampleSpans[1]);
        Assert.Equal("client", client.Kind);
        Assert.Equal("server", server.Kind);
        Assert.Null(server.ParentSpanId);
        Assert.NotEqual(client.TraceId, server.TraceId);

        // Everything else still holds: only the hop is named.
        Assert.Equal(CheckStatus.Pass, SampleRun.Check(outcome.Report, "message_headers:order messages").Status);
        Assert.Equal(CheckStatus.Pass, SampleRun.Check(outcome.Report, "span:server GET /inventory/{id} @ inventory").Status);
        Assert.Single(outcome.Report.Checks, c => c.Status == CheckStatus.Fail);
        await SampleRun.AssertMatchesSchemaAsync(outcome.Report);
    }

    [Fact]
    public async Task Run_TraceparentDroppedFromMessageHeaders_FailsNamingTheMessageHop()
    {
        var options = _run.Options(SampleRun.OrdersCommand);
        options.Environment["SAMPLE_DROP_TRACEPARENT"] = "message";
        options.CollectTimeout = TimeSpan.FromSeconds(4);

        var outcome = await new ValidationRunner().RunAsync(options);

        var hop = SampleRun.Check(outcome.Report, "message_headers:order messages");
        Assert.Equal(CheckStatus.Fail, hop.Status);
        Assert.Contains("hop orders → orders-worker", hop.Message, StringComparison.Ordinal);
        Assert.Contains("message headers", hop.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Pass, SampleRun.Check(outcome.Report, "propagation:orders calls inventory").Status);
        Assert.Equal(ValidateExitCodes.Fail, outcome.ExitCode);
    }

    [Fact]
    public async Task Run_ServiceExitsImmediately_ExitsThreeWithItsOutputTail()
    {
        var outcome = await new ValidationRunner().RunAsync(_run.Options("echo booting; echo 'fatal: config file orders.toml not found' >&2; exit 7"));

        Assert.Equal(ValidateExitCodes.ServiceDidNotStart, outcome.ExitCode);
        var report = outcome.Report;
        Assert.Equal(Verdict.Fail, report.Verdict);
        var readiness = SampleRun.Check(report, "readiness");
        Assert.Equal(CheckStatus.Fail, readiness.Status);
        Assert.Contains("exited with code 7", readiness.Message, StringComparison.Ordinal);
        Assert.Contains("orders.toml not found", readiness.Message, StringComparison.Ordinal);
        Assert.NotNull(report.Process);
        Assert.Equal(7, report.Process.ExitCode);
        Assert.True(report.Process.ExitedEarly);
        Assert.Equal(["booting"], report.Process.StdoutTail);
        Assert.Equal(["fatal: config file orders.toml not found"], report.Process.StderrTail);
        Assert.Equal(0, report.Traffic.RequestsSent);
        await SampleRun.AssertMatchesSchemaAsync(report);
    }

    [Fact]
    public async Task Run_ServiceNeverReady_IsStoppedAndExitsThree()
    {
        var traffic = SampleRun.Traffic.Replace("timeout: 60s", "timeout: 1s", StringComparison.Ordinal);
        var pidFile = Path.Combine(_run.Directory, "pid");

        var outcome = await new ValidationRunner().RunAsync(_run.Options($"echo $$ > {pidFile}; exec sleep 600", traffic: traffic));

        Assert.Equal(ValidateExitCodes.ServiceDidNotStart, outcome.ExitCode);
        Assert.Contains("did not answer 2xx within 1s", SampleRun.Check(outcome.Report, "readiness").Message, StringComparison.Ordinal);
        Assert.False(outcome.Report.Process!.ExitedEarly);

        // SIGTERM ended it: 128 + 15 from the shell's view, and no such process is left.
        Assert.Equal(143, outcome.Report.Process.ExitCode);
        var pid = File.ReadAllText(pidFile).Trim();
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"process {pid} is still running");
    }

    [Fact]
    public async Task Run_BadExpectations_ThrowsBeforeStartingAnything()
    {
        var marker = Path.Combine(_run.Directory, "started");
        var options = _run.Options($"touch {marker}", expect: "service: orders\nspans:\n  - name: x\n    kind: serverr\n");

        var e = await Assert.ThrowsAsync<ValidationConfigException>(() => new ValidationRunner().RunAsync(options));

        Assert.Equal("expect.yaml: spans[0].kind: 'serverr' is not one of internal, server, client, producer, consumer", e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public async Task Run_InAGitRepository_RecordsItsHead()
    {
        var inRepo = _run.Options("exit 3");
        inRepo.WorkingDirectory = RepoPaths.Root;
        var outside = _run.Options("exit 3");

        var a = await new ValidationRunner().RunAsync(inRepo);
        var b = await new ValidationRunner().RunAsync(outside);

        Assert.Matches("^[0-9a-f]{40}$", a.Report.Commit);
        Assert.Null(b.Report.Commit);
    }
}
