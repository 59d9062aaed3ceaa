namespace Autopilot.Engines.Contracts;

/// <summary>
/// Column types compared loosely, by family, as the contract engine compares them (so <c>VARCHAR</c> satisfies a
/// contract's <c>string</c>). The CI Gatekeeper compares contract revisions with the same families, so what it
/// calls a breaking type change is what the engine would report.
/// </summary>
public static class ColumnTypes
{
    /// <summary>The type family (string, integer, number, boolean, timestamp, date, …) of a declared type; empty for none.</summary>
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
}
