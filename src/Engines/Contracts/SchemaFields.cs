namespace Autopilot.Engines.Contracts;

/// <summary>
/// Reads the <c>schema.fields</c> attribute of dataset lineage signals (<c>name:type,name:type</c>, parts
/// percent-encoded) and compares types loosely by family, so <c>VARCHAR</c> satisfies a contract's <c>string</c>.
/// </summary>
internal static class SchemaFields
{
    public const string Attribute = "schema.fields";
    public const string Fingerprint = "schema.fingerprint";

    /// <summary>Name → type (possibly empty) in the order listed.</summary>
    public static List<KeyValuePair<string, string>> Parse(string list)
    {
        var result = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(list))
        {
            return result;
        }

        foreach (var item in list.Split(','))
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? item : item[..colon];
            var type = colon < 0 ? string.Empty : item[(colon + 1)..];
            result.Add(new(Unescape(name), Unescape(type)));
        }

        return result;
    }

    /// <summary>True when the observed type satisfies the expected one (no expected type: anything does).</summary>
    public static bool TypeMatches(string? expected, string observed) =>
        string.IsNullOrWhiteSpace(expected) || string.IsNullOrEmpty(observed) || string.Equals(ColumnTypes.Family(expected), ColumnTypes.Family(observed), StringComparison.Ordinal);

    private static string Unescape(string part) => part.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(part) : part;
}
