using System.Text.Json;
using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Tests.Scout;

public sealed class DiffPlanJsonTests
{
    internal static DiffPlan Sample()
    {
        var evidence = new Evidence("orders/pom.xml", null, "dependency io.opentelemetry:* or the OTel Java agent", null);
        var output = new DatasetRef(DatasetKind.Topic, "kafka", "orders.created", "orders/src/main/java/com/acme/OrderService.java", 12, false);
        var archetype = new ServiceArchetype(
            "orders", "orders", Language.Java, BuildSystem.Maven, "orders/pom.xml", Framework.SpringBoot,
            "orders/src/main/java/com/acme/OrdersApplication.java", ["kafka"], ["jdbc"],
            new ObservabilityState(false, false, false, false, true, false, false),
            [], [output], [new Evidence("orders/pom.xml", 14, "dependency org.springframework.boot:spring-boot-starter-web", "<artifactId>spring-boot-starter-web</artifactId>")]);
        var gap = new Gap("missing_otel:orders", GapType.MissingOtel, "orders", "orders", "orders has no OpenTelemetry SDK.", [evidence], 0.95);
        var change = new PlannedChange("missing_otel:orders/java/otel-init", gap.Id, TemplateIds.For(Language.Java, TemplateIds.OtelInit), "orders",
            ["orders/pom.xml"], new Dictionary<string, string> { ["service_name"] = "orders", ["otlp_endpoint"] = "http://localhost:4318" });
        return new DiffPlan(DiffPlan.CurrentSchemaVersion, new RepoInfo("/tmp/repo", "repo", new string('a', 40), DateTimeOffset.UnixEpoch, 10),
            [archetype], [gap], [change], 0.9);
    }

    [Fact]
    public void Serialize_SamplePlan_ValidatesAgainstPublishedSchema()
    {
        var json = DiffPlanJson.Serialize(Sample());

        Assert.Empty(PlanSchema.Validate(json));
        Assert.Contains("\"overall_confidence\"", json, StringComparison.Ordinal);
        Assert.Contains("\"missing_otel\"", json, StringComparison.Ordinal);
        Assert.Contains("\"spring_boot\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_SerializedPlan_RoundTripsToSameJson()
    {
        var json = DiffPlanJson.Serialize(Sample());

        var back = DiffPlanJson.Deserialize(json);

        Assert.Equal(json, DiffPlanJson.Serialize(back));
        Assert.Equal(GapType.MissingOtel, back.Gaps[0].Type);
        Assert.Equal("java/otel-init", back.PlannedChanges[0].TemplateId);
    }

    [Fact]
    public void Validate_UnknownGapType_IsRejectedBySchema()
    {
        var json = DiffPlanJson.Serialize(Sample()).Replace("\"missing_otel\"", "\"missing_magic\"", StringComparison.Ordinal);

        Assert.NotEmpty(PlanSchema.Validate(json));
    }

    [Fact]
    public void Validate_GapWithoutEvidence_IsRejectedBySchema()
    {
        var plan = Sample();
        var json = DiffPlanJson.Serialize(plan with { Gaps = [plan.Gaps[0] with { Evidence = [] }] });

        Assert.NotEmpty(PlanSchema.Validate(json));
    }

    [Fact]
    public void Deserialize_UnknownMajorVersion_ThrowsNamingVersion()
    {
        var json = DiffPlanJson.Serialize(Sample() with { SchemaVersion = "2.0" });

        var e = Assert.Throws<JsonException>(() => DiffPlanJson.Deserialize(json));
        Assert.Contains("2.0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deserialize_MissingRequiredProperty_Throws()
    {
        var json = DiffPlanJson.Serialize(Sample()).Replace("\"overall_confidence\"", "\"other\"", StringComparison.Ordinal);

        Assert.ThrowsAny<JsonException>(() => DiffPlanJson.Deserialize(json));
    }
}
