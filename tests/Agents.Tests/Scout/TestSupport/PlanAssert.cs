using Autopilot.Agents.Scout;

namespace Autopilot.Agents.Tests.Scout.TestSupport;

/// <summary>Lookups into a plan that fail with what was there instead.</summary>
internal static class PlanAssert
{
    public static ServiceArchetype Service(DiffPlan plan, string name) =>
        plan.Archetypes.SingleOrDefault(a => a.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"no service '{name}'; found: {string.Join(", ", plan.Archetypes.Select(a => a.Name))}");

    public static Gap Gap(DiffPlan plan, string id) =>
        plan.Gaps.SingleOrDefault(g => g.Id == id)
        ?? throw new Xunit.Sdk.XunitException($"no gap '{id}'; found: {string.Join(", ", plan.Gaps.Select(g => g.Id))}");

    public static void NoGap(DiffPlan plan, string id) =>
        Assert.False(plan.Gaps.Any(g => g.Id == id), $"unexpected gap '{id}'");

    public static Evidence At(Gap gap, string file, int line) =>
        gap.Evidence.SingleOrDefault(e => e.File == file && e.Line == line)
        ?? throw new Xunit.Sdk.XunitException($"gap {gap.Id} has no evidence at {file}:{line}; it has: {string.Join("; ", gap.Evidence.Select(e => $"{e.File}:{e.Line}"))}");
}
