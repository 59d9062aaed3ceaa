using Autopilot.Agents.Gate;
using Autopilot.Agents.Gate.Compatibility;
using Autopilot.Agents.Gate.Policy;

namespace Autopilot.Agents.Tests.Gate;

public sealed class PolicyLoaderTests
{
    private const string Valid = """
        version: 1
        gate: pull-request
        default_tier: tier-3
        tiers:
          - name: tier-1
            match: { services: [checkout], paths: ["services/payments/**"] }
            checks:
              otel-sdk: hard-fail
              runbook:
                mode: hard-fail
                rollout: { warn_until: 2026-03-01, soft_fail_until: 2026-06-01 }
              telemetry-validation: { mode: soft-fail, require_report: true }
          - name: tier-3
            checks:
              otel-sdk: warn
        schemas:
          compatibility: FULL
          subjects:
            - { path: "schemas/legacy/**", compatibility: NONE }
        waivers:
          - { check: runbook, scope: legacy, owner: team-legacy, expires: 2026-04-01, reason: "moving to the new platform" }
        """;

    [Fact]
    public void Parse_ValidPolicy_ReadsTiersMatchesLevelsAndWaivers()
    {
        var p = PolicyLoader.Parse(Valid, "gates.yaml");

        Assert.Equal("pull-request", p.Gate);
        Assert.Equal("tier-1", p.TierFor("checkout", "services/checkout").Name);
        Assert.Equal("tier-1", p.TierFor("pay", "services/payments/api").Name);
        Assert.Equal("tier-3", p.TierFor("search", "services/search").Name);
        Assert.Equal(CompatibilityLevel.Full, p.CompatibilityFor("schemas/orders/order.avsc"));
        Assert.Equal(CompatibilityLevel.None, p.CompatibilityFor("schemas/legacy/old.avsc"));
        Assert.True(p.Tiers[0].Checks[GateChecks.TelemetryValidation].RequireReport);
        Assert.False(p.Tiers[0].Checks.ContainsKey(GateChecks.SchemaCompat));
        var w = Assert.Single(p.Waivers);
        Assert.Equal(("runbook", "team-legacy", new DateOnly(2026, 4, 1)), (w.Check, w.Owner, w.Expires));
        Assert.True(p.IsSchema("schemas/orders/order.avsc"));
        Assert.True(p.IsContract("contracts/orders.yaml"));
    }

    [Theory]
    [InlineData("2026-02-28", EnforcementMode.Warn)]
    [InlineData("2026-03-01", EnforcementMode.SoftFail)]
    [InlineData("2026-05-31", EnforcementMode.SoftFail)]
    [InlineData("2026-06-01", EnforcementMode.HardFail)]
    public void ModeOn_RolloutSchedule_TightensOnItsDates(string day, EnforcementMode expected)
    {
        var runbook = PolicyLoader.Parse(Valid, "gates.yaml").Tiers[0].Checks[GateChecks.Runbook];

        Assert.Equal(expected, runbook.ModeOn(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void NextChange_BeforeEachDate_NamesTheNextDateAndMode()
    {
        var runbook = PolicyLoader.Parse(Valid, "gates.yaml").Tiers[0].Checks[GateChecks.Runbook];

        Assert.Equal((new DateOnly(2026, 3, 1), EnforcementMode.SoftFail), runbook.NextChange(new DateOnly(2026, 1, 1)));
        Assert.Equal((new DateOnly(2026, 6, 1), EnforcementMode.HardFail), runbook.NextChange(new DateOnly(2026, 3, 1)));
        Assert.Null(runbook.NextChange(new DateOnly(2026, 6, 1)));
    }

    [Fact]
    public void ModeOn_RolloutNeverExceedsTheFinalMode()
    {
        var p = PolicyLoader.Parse("tiers:\n  - name: t\n    checks:\n      runbook: { mode: warn, rollout: { soft_fail_until: 2026-06-01 } }\n", "g.yaml");

        Assert.Equal(EnforcementMode.Warn, p.Tiers[0].Checks[GateChecks.Runbook].ModeOn(new DateOnly(2026, 1, 1)));
        Assert.Null(p.Tiers[0].Checks[GateChecks.Runbook].NextChange(new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void BuiltIn_BlocksSchemaAndContractBreaksAndWarnsOnTheRest()
    {
        var p = PolicyLoader.BuiltIn();
        var tier = p.TierFor("any", "services/any");

        Assert.Equal(EnforcementMode.HardFail, tier.Checks[GateChecks.SchemaCompat].Mode);
        Assert.Equal(EnforcementMode.HardFail, tier.Checks[GateChecks.ContractBreaking].Mode);
        Assert.All(new[] { GateChecks.OtelSdk, GateChecks.Runbook, GateChecks.LineageSpec, GateChecks.DataContract, GateChecks.TelemetryValidation }, c => Assert.Equal(EnforcementMode.Warn, tier.Checks[c].Mode));
        Assert.Equal(CompatibilityLevel.Backward, p.DefaultCompatibility);
        Assert.False(p.IsSchema("node_modules/x/a.avsc"));
    }

    [Theory]
    [InlineData("tiers:\n  - name: t\n    checks:\n      runbok: warn\n", "g.yaml:4: tiers[0].checks.runbok: unknown check")]
    [InlineData("tiers:\n  - name: t\n    checks:\n      runbook: maybe\n", "g.yaml:4: tiers[0].checks.runbook: 'maybe' is not a mode")]
    [InlineData("tiers:\n  - name: t\n    checks:\n      runbook: { mode: warn, rollout: { warn_until: 2026-13-01 } }\n", "tiers[0].checks.runbook.rollout.warn_until: '2026-13-01' is not a date")]
    [InlineData("tiers:\n  - name: t\n    checks:\n      runbook: { mode: hard-fail, rollout: { warn_until: 2026-06-01, soft_fail_until: 2026-03-01 } }\n", "must come after warn_until")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\nwaivers:\n  - { check: runbook, scope: x, expires: 2026-01-01 }\n", "waivers[0].owner: is required")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\nwaivers:\n  - { check: runbook, scope: x, owner: me }\n", "waivers[0].expires: is required")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\nwaivers:\n  - { check: runbooks, scope: x, owner: me, expires: 2026-01-01 }\n", "waivers[0].check: 'runbooks' is not a check")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\nteirs: []\n", "g.yaml:4: teirs: unknown key")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\ndefault_tier: gold\n", "default_tier: 'gold' is not one of the tiers (t)")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\nschemas: { compatibility: SIDEWAYS }\n", "schemas.compatibility: 'SIDEWAYS' is not a compatibility level")]
    [InlineData("tiers:\n  - name: t\n    checks: { runbook: warn }\n  - name: t\n    checks: { runbook: warn }\n", "tier 't' is defined twice")]
    [InlineData("tiers: [\n", "g.yaml:2: (yaml): not valid YAML")]
    [InlineData("gate: x\n", "tiers: is required")]
    [InlineData("tiers:\n  - name: t\n    checks: { telemetry-validation: { mode: warn, require_reports: true } }\n", "tiers[0].checks.telemetry-validation.require_reports: unknown key")]
    public void Parse_BadPolicy_NamesTheKeyAndLine(string yaml, string expected)
    {
        var e = Assert.Throws<GateUsageException>(() => PolicyLoader.Parse(yaml, "g.yaml"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsEachOnItsOwnLine()
    {
        var e = Assert.Throws<GateUsageException>(() => PolicyLoader.Parse("tiers:\n  - name: t\n    checks:\n      runbok: warn\n      otel-sdk: loud\n", "g.yaml"));

        var lines = e.Message.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(lines, l => l.Contains("runbok", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'loud' is not a mode", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("schemas/**/*.avsc", "schemas/a/b/c.avsc", true)]
    [InlineData("schemas/**/*.avsc", "schemas/c.avsc", true)]
    [InlineData("schemas/*.avsc", "schemas/a/c.avsc", false)]
    [InlineData("*.proto", "deep/down/x.proto", true)]
    [InlineData("services/payments/**", "services/payments", false)]
    [InlineData("services/payments/**", "services/payments/api", true)]
    [InlineData("services/pay?ents", "services/payments", true)]
    [InlineData("**/contracts/**/*.yaml", "contracts/orders.yaml", true)]
    public void Glob_Matches(string pattern, string path, bool expected) => Assert.Equal(expected, new Glob(pattern).IsMatch(path));

    [Fact]
    public void ReadmeExample_ParsesAsDocumented()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("```yaml\nversion: 1\ngate: pull-request", StringComparison.Ordinal);
        Assert.True(start >= 0, "the README's gates.yaml example is missing");
        var yaml = readme[(start + 8)..readme.IndexOf("```", start + 8, StringComparison.Ordinal)];

        var p = PolicyLoader.Parse(yaml, "README.md");

        Assert.Equal(["tier-1", "tier-2"], p.Tiers.Select(t => t.Name).ToArray());
        Assert.Equal(EnforcementMode.SoftFail, p.Tiers[0].Checks[GateChecks.Runbook].ModeOn(new DateOnly(2026, 4, 1)));
        Assert.Equal(CompatibilityLevel.Full, p.CompatibilityFor("proto/shop/v1/order.proto"));
        Assert.Equal(2, p.Waivers.Count);
        Assert.Equal("checkout", Assert.Single(p.Services!).Name);
    }
}
