using Autopilot.Engines.Anomaly;
using Autopilot.Engines.Findings;

namespace Autopilot.Engines.Tests.Anomaly.Engines;

public sealed class ThresholdRuleTests
{
    [Theory]
    [InlineData("memory.utilization > 0.9 for 120s", "memory.utilization", ThresholdComparison.GreaterThan, 0.9, 120)]
    [InlineData("memory.utilization > 90% for 2m", "memory.utilization", ThresholdComparison.GreaterThan, 0.9, 120)]
    [InlineData("p99 > 1500ms for 60s", "p99", ThresholdComparison.GreaterThan, 1500, 60)]
    [InlineData("p99 > 1.5s for 1m", "p99", ThresholdComparison.GreaterThan, 1500, 60)]
    [InlineData("queue.depth>=1000", "queue.depth", ThresholdComparison.GreaterThanOrEqual, 1000, 0)]
    [InlineData("  free.bytes <  1e6 FOR 500ms ", "free.bytes", ThresholdComparison.LessThan, 1e6, 0.5)]
    [InlineData("http.server.duration.p95 <= 2h for 1h", "http.server.duration.p95", ThresholdComparison.LessThanOrEqual, 7_200_000, 3600)]
    public void Parse_ValidExpression_ReadsEveryPart(string text, string target, ThresholdComparison comparison, double value, double forSeconds)
    {
        var rule = ThresholdRule.Parse("r", text);

        Assert.Equal(target, rule.Target);
        Assert.Equal(comparison, rule.Comparison);
        Assert.Equal(value, rule.Threshold, 9);
        Assert.Equal(TimeSpan.FromSeconds(forSeconds), rule.For);
        Assert.Equal("*", rule.UrnPattern);
    }

    [Fact]
    public void Parse_SpanPercentile_HasQuantile()
    {
        Assert.Equal(0.99, ThresholdRule.Parse("r", "p99 > 1s").SpanPercentile);
        Assert.Null(ThresholdRule.Parse("r", "cpu > 1").SpanPercentile);
    }

    [Theory]
    [InlineData("memory 0.9", "expected a comparison")]
    [InlineData("> 0.9", "expected one metric name")]
    [InlineData("two words > 0.9", "expected one metric name")]
    [InlineData("memory >", "expected a threshold value")]
    [InlineData("memory > lots", "'lots' is not a number")]
    [InlineData("memory > 0.9 for", "expected a duration after 'for'")]
    [InlineData("memory > 0.9 for 120", "'120' is not a duration")]
    [InlineData("memory > 0.9 for 10%", "'10%' is not a duration")]
    [InlineData("memory > 0.9 for 2x", "'2x' is not a duration")]
    [InlineData("memory > 5q", "'5q' is not a number")]
    [InlineData("p42 > 1s", "'p42' is not a supported span percentile")]
    public void Parse_InvalidExpression_ThrowsNamingRuleAndProblem(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => ThresholdRule.Parse("mem-high", text));

        Assert.Contains("Rule 'mem-high'", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_EachComparison_ComparesAgainstThreshold()
    {
        Assert.True(ThresholdRule.Parse("r", "x > 1").Holds(1.1));
        Assert.False(ThresholdRule.Parse("r", "x > 1").Holds(1));
        Assert.True(ThresholdRule.Parse("r", "x >= 1").Holds(1));
        Assert.True(ThresholdRule.Parse("r", "x < 1").Holds(0.9));
        Assert.False(ThresholdRule.Parse("r", "x < 1").Holds(1));
        Assert.True(ThresholdRule.Parse("r", "x <= 1").Holds(1));
    }

    [Fact]
    public void ToString_ParsedRule_RoundTrips()
    {
        var rule = ThresholdRule.Parse("r", "p99 > 1.5s for 60s");

        Assert.Equal("p99 > 1500 for 60s", rule.ToString());
        Assert.Equal(rule with { }, ThresholdRule.Parse("r", rule.ToString()));
    }

    [Fact]
    public void Validate_NegativeFor_NamesTheKey()
    {
        var options = new AnomalyOptions();
        options.Rules.Add(new ThresholdRuleOptions { Name = "ok", Expression = "cpu > 0.9 for 1m" });
        options.Rules.Add(new ThresholdRuleOptions { Name = "bad", Target = "cpu", Value = 1, For = TimeSpan.FromSeconds(-1) });

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith("engines.anomaly.rules[1].for", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "cpu > 1", "*", "engines.anomaly.rules[0].name")]
    [InlineData("r", "cpu > ", "*", "engines.anomaly.rules[0].expression: Rule 'r'")]
    [InlineData("r", "cpu > 1", "urn:*:x*", "engines.anomaly.rules[0].urn")]
    public void Validate_InvalidRule_NamesTheKey(string? name, string expression, string urn, string key)
    {
        var options = new AnomalyOptions();
        options.Rules.Add(new ThresholdRuleOptions { Name = name, Expression = expression, Urn = urn });

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.StartsWith(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DuplicateRuleNames_Throws()
    {
        var options = new AnomalyOptions();
        options.Rules.Add(new ThresholdRuleOptions { Name = "r", Expression = "cpu > 1" });
        options.Rules.Add(new ThresholdRuleOptions { Name = "r", Expression = "cpu > 2" });

        Assert.StartsWith("engines.anomaly.rules[1].name", Assert.Throws<ArgumentException>(options.Validate).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToRule_PartsWithoutExpression_BuildsRule()
    {
        var rule = new ThresholdRuleOptions { Name = "r", Urn = "urn:autopilot:service:*", Target = "cpu", Comparison = "<=", Value = 2, For = TimeSpan.FromMinutes(1), Severity = FindingSeverity.Critical }
            .ToRule("k");

        Assert.Equal(new ThresholdRule("r", "urn:autopilot:service:*", "cpu", ThresholdComparison.LessThanOrEqual, 2, TimeSpan.FromMinutes(1), FindingSeverity.Critical), rule);
    }
}
