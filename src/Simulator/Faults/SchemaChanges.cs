using Autopilot.Simulator.Topology;

namespace Autopilot.Simulator.Faults;

/// <summary>The schema changes a <see cref="FaultKind.SchemaChange"/> fault can make to a dataset.</summary>
internal static class SchemaChanges
{
    /// <summary>The dataset's fields after change <paramref name="variant"/>: its amount-like column renamed and retyped, its second column dropped, or its amount-like column retyped.</summary>
    public static IReadOnlyList<SchemaField> Apply(LineageDatasetSpec dataset, int variant)
    {
        var fields = dataset.Fields;
        var target = Target(dataset);
        return (variant % 3) switch
        {
            0 => [.. fields.Select(f => f.Name == target.Name ? new SchemaField(f.Name + "_cents", "BIGINT") : f)],
            1 => [.. fields.Where(f => f != fields[1])],
            _ => [.. fields.Select(f => f.Name == target.Name ? new SchemaField(f.Name, "VARCHAR") : f)],
        };
    }

    public static string Describe(LineageDatasetSpec dataset, int variant)
    {
        var target = Target(dataset);
        return (variant % 3) switch
        {
            0 => $"{target.Name} {target.Type} renamed to {target.Name}_cents BIGINT",
            1 => $"{dataset.Fields[1].Name} dropped",
            _ => $"{target.Name} retyped from {target.Type} to VARCHAR",
        };
    }

    /// <summary>The first field of <paramref name="expected"/> that <paramref name="actual"/> lacks or types differently; null when it reads fine.</summary>
    public static string? Incompatibility(IReadOnlyList<SchemaField> expected, IReadOnlyList<SchemaField> actual)
    {
        foreach (var field in expected)
        {
            var found = actual.FirstOrDefault(a => a.Name == field.Name);
            if (found is null)
            {
                return $"column \"{field.Name}\" does not exist";
            }

            if (found.Type != field.Type)
            {
                return $"column \"{field.Name}\" is of type {found.Type} but expression is of type {field.Type}";
            }
        }

        return null;
    }

    private static SchemaField Target(LineageDatasetSpec dataset) =>
        dataset.Fields.FirstOrDefault(f => f.Type.StartsWith("DECIMAL", StringComparison.Ordinal)) ?? dataset.Fields[^1];
}
