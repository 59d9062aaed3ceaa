using Autopilot.Agents.Gate;
using Autopilot.Agents.Gate.Output;

namespace Autopilot.Agents.Tests.Gate;

/// <summary>Text report, GitHub workflow-command annotations and step-summary markdown of a real status.</summary>
public sealed class GateOutputTests
{
    [Fact]
    public async Task Annotations_MapOutcomesToLevelsAndPointAtFileAndLine()
    {
        var status = await GateStatusSchemaTests.RichStatusAsync();
        var writer = new StringWriter();

        await GitHubActionsReporter.WriteAnnotationsAsync(status, writer);

        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(lines, l => l.StartsWith("::error file=schemas/order.avsc,line=4,title=schema-compat (hard-fail)%3A ", StringComparison.Ordinal) && l.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("::error title=runbook (soft-fail%2C would fail)%3A orders::", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("::notice title=lineage-spec (hard-fail%2C waived)%3A orders::", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("::warning title=expired waiver::", StringComparison.Ordinal) && l.Contains("expired on 2026-01-01", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("otel-sdk", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain('\r', l));
    }

    [Theory]
    [InlineData("a%b\r\nc", "a%25b%0D%0Ac")]
    [InlineData("plain", "plain")]
    public void EscapeData_FollowsTheWorkflowCommandRules(string input, string expected) => Assert.Equal(expected, GitHubActionsReporter.EscapeData(input));

    [Fact]
    public void Command_EscapesColonsAndCommasInProperties()
    {
        var line = GitHubActionsReporter.Command("error", "a,b:c.avsc", 3, "t: x, y", "m\nn");

        Assert.Equal("::error file=a%2Cb%3Ac.avsc,line=3,title=t%3A x%2C y::m%0An", line);
    }

    [Fact]
    public async Task Markdown_HasTheVerdictEveryCheckFindingsNextStepsAndWaivers()
    {
        var md = GitHubActionsReporter.Markdown(await GateStatusSchemaTests.RichStatusAsync());

        Assert.StartsWith("## ❌ Gate `test`: FAIL", md, StringComparison.Ordinal);
        Assert.Contains("| orders | tier-1 | `runbook` | soft-fail | 🟠 would fail |", md, StringComparison.Ordinal);
        Assert.Contains("`schemas/order.avsc:4` **READER_FIELD_MISSING_DEFAULT_VALUE**", md, StringComparison.Ordinal);
        Assert.Contains("- From **2026-06-01** `runbook` on orders is **hard-fail**", md, StringComparison.Ordinal);
        Assert.Contains("- From **2026-05-01** `lineage-spec` on orders is **hard-fail** (waiver expires)", md, StringComparison.Ordinal);
        Assert.Contains("| `runbook` | gone | x | 2026-01-01 | expired |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextReport_ListsEveryCheckAndTheFindings()
    {
        var writer = new StringWriter();

        await GateTextReport.WriteAsync(await GateStatusSchemaTests.RichStatusAsync(), writer);

        var text = writer.ToString();
        Assert.StartsWith("Gate test: FAIL (exit 1); base main (", text, StringComparison.Ordinal);
        Assert.Matches(@"orders\s+tier-1\s+runbook\s+soft-fail\s+would fail", text);
        Assert.Contains("x schemas/order.avsc:4 [READER_FIELD_MISSING_DEFAULT_VALUE]", text, StringComparison.Ordinal);
        Assert.Contains("from 2026-06-01: orders / runbook becomes hard-fail", text, StringComparison.Ordinal);
        Assert.Contains("EXPIRED  runbook for gone by x, expires 2026-01-01", text, StringComparison.Ordinal);
    }
}
