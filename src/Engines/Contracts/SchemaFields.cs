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

    /// <summary>The type family (string, integer, number, boolean, timestamp, date, …) of a declared type.</summary>
    public static string Family(string? type)
    {
        if (string.IsNullOrWhiteSpace(type))
        {
            return string.Empty;
        }

        var t = type.Trim().ToLowerInvariant();
        var paren = t.IndexOf('(', StringComparison.Ordinal);
        if (paren > 0)
        {
            t = t[..paren].Trim();
        }

        return t switch
        {
            "string" or "varchar" or "char" or "text" or "nvarchar" or "nchar" or "character varying" or "character" or "str" or "utf8" => "string",
            "int" or "integer" or "bigint" or "smallint" or "tinyint" or "long" or "short" or "int32" or "int64" or "int4" or "int8" or "int2" => "integer",
            "double" or "float" or "real" or "decimal" or "numeric" or "number" or "float64" or "float32" or "double precision" or "float8" or "float4" => "number",
            "bool" or "boolean" => "boolean",
            "timestamp" or "datetime" or "timestamptz" or "timestamp with time zone" or "timestamp without time zone" or "timestamp_ntz" or "timestamp_ltz" => "timestamp",
            _ => t,
        };
    }

    /// <summary>True when the observed type satisfies the expected one (no expected type: anything does).</summary>
    public static bool TypeMatches(string? expected, string observed) =>
        string.IsNullOrWhiteSpace(expected) || string.IsNullOrEmpty(observed) || string.Equals(Family(expected), Family(observed), StringComparison.Ordinal);

    private static string Unescape(string part) => part.Contains('%', StringComparison.Ordinal) ? Uri.UnescapeDataString(part) : part;
}
