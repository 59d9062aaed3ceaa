using Autopilot.Agents.Validate;
using NJsonSchema;

namespace Autopilot.Agents.Tests.Validate;

public sealed class ValidationReportSchemaTests
{
    internal static async Task<JsonSchema> LoadSchemaAsync() =>
        await JsonSchema.FromFileAsync(RepoPaths.Schema("validation-report.schema.json"));

    internal static ValidationReport Sample(Verdict verdict = Verdict.Pass, string? commit = "0a80df0b2c2d6f1e33f4b5d0b4c1a6e1f3d2c1b0") =>
        new(
            ValidationReport.CurrentSchemaVersion,
            "orders",
            commit,
            "dotnet run",
            verdict,
            [
                new ValidationCheck(
                    "span:server GET /orders/{id}",
                    "span",
                    verdict == Verdict.Pass ? CheckStatus.Pass : CheckStatus.Fail,
                    "3 server spans",
                    new CheckEvidence(
                        ["4bf92f3577b34da6a3ce929d0e0e4736"],
                        [new SampleSpan("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", null, "orders", "GET /orders/{id}", "server", 1.5, new Dictionary<string, string> { ["http.route"] = "/orders/{id}" })])),
                new ValidationCheck("kafka", "message_headers", CheckStatus.Skip, "no broker configured", CheckEvidence.None),
            ],
            new ReceivedSummary(3, 10, 0, 0, ["orders"], ["http.server.request.duration"]),
            new TrafficSummary(3, 0, 0, []),
            new ValidationTiming(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(2), 2000, 500, 100, 1400),
            new ReceiverInfo("http://127.0.0.1:4318", "http/protobuf"));

    [Theory]
    [InlineData(Verdict.Pass, "abc")]
    [InlineData(Verdict.Fail, null)]
    public async Task Serialize_SampleReport_ValidatesAgainstPublishedSchema(Verdict verdict, string? commit)
    {
        var schema = await LoadSchemaAsync();
        var json = ValidationReportJson.Serialize(Sample(verdict, commit));

        var errors = schema.Validate(json);

        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.ToString())) + "\n" + json);
        Assert.Contains(verdict == Verdict.Pass ? "\"PASS\"" : "\"FAIL\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serialize_ReportWithServiceOutput_ValidatesAndRoundTrips()
    {
        var schema = await LoadSchemaAsync();
        var report = Sample(Verdict.Fail) with { Process = new ServiceOutput(null, false, ["listening on 5080"], []) };
        var json = ValidationReportJson.Serialize(report);

        Assert.Empty(schema.Validate(json));
        Assert.Equal(["listening on 5080"], ValidationReportJson.Deserialize(json).Process!.StdoutTail);

        // Reports written before the field existed still read, as the Gatekeeper may keep old ones.
        var old = json[..json.IndexOf(",\n  \"process\"", StringComparison.Ordinal)] + "\n}";
        Assert.Empty(schema.Validate(old));
        Assert.Null(ValidationReportJson.Deserialize(old).Process);
    }

    [Fact]
    public async Task Schema_ReportWithUnknownStatus_IsRejected()
    {
        var schema = await LoadSchemaAsync();
        var json = ValidationReportJson.Serialize(Sample()).Replace("\"skip\"", "\"maybe\"", StringComparison.Ordinal);

        Assert.NotEmpty(schema.Validate(json));
    }

    [Fact]
    public void Deserialize_SerializedReport_RoundTrips()
    {
        var report = Sample();

        var back = ValidationReportJson.Deserialize(ValidationReportJson.Serialize(report));

        Assert.Equal(report.Verdict, back.Verdict);
        Assert.Equal(report.Checks.Count, back.Checks.Count);
        Assert.Equal("/orders/{id}", back.Checks[0].Evidence.SampleSpans[0].Attributes["http.route"]);
        Assert.Equal(CheckStatus.Skip, back.Checks[1].Status);
    }
}
