using Autopilot.Agents.Gate.Compatibility;

namespace Autopilot.Agents.Tests.Gate.Compatibility;

/// <summary>Runs one base/head pair through <see cref="SchemaCompatibility"/> and returns the rule ids found.</summary>
internal static class CompatibilityAssert
{
    public static IReadOnlyList<Incompatibility> Find(SchemaFormat format, string oldText, string newText, string level)
    {
        Assert.True(CompatibilityLevels.TryParse(level, out var parsed), level);
        var old = SchemaCompatibility.Parse(format, oldText, "base");
        var head = SchemaCompatibility.Parse(format, newText, "head");
        return SchemaCompatibility.Check(old, head, parsed);
    }

    /// <summary>Asserts the exact set of rules (empty = compatible); the messages are printed when it differs.</summary>
    public static void Rules(SchemaFormat format, string oldText, string newText, string level, string expected)
    {
        var found = Find(format, oldText, newText, level);
        var rules = found.Select(f => f.Rule).Distinct().Order(StringComparer.Ordinal).ToArray();
        var want = expected.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order(StringComparer.Ordinal).ToArray();
        Assert.True(want.SequenceEqual(rules), $"{level}: expected [{string.Join(", ", want)}], found:\n" + string.Join("\n", found.Select(f => $"  {f.Rule} @ {f.Path} (line {f.Line}): {f.Message}")));
    }
}
