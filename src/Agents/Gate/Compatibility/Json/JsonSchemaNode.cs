namespace Autopilot.Agents.Gate.Compatibility.Json;

/// <summary>
/// One JSON Schema (draft-07) as the comparison sees it: the data keywords the gate understands, plus the
/// canonical text of every other assertion keyword so a change to one of those is still noticed.
/// </summary>
internal sealed class JsonSchemaNode(int line)
{
    /// <summary>Every type name draft-07 knows.</summary>
    public static readonly IReadOnlySet<string> AllTypes = new HashSet<string>(StringComparer.Ordinal) { "string", "number", "integer", "boolean", "null", "object", "array" };

    public int Line { get; } = line;

    /// <summary><c>true</c> or <c>false</c> for the boolean schemas; null for an object schema.</summary>
    public bool? BooleanSchema { get; set; }

    /// <summary>Allowed types; null when the schema does not restrict the type.</summary>
    public HashSet<string>? Types { get; set; }

    /// <summary>Canonical JSON of the allowed values (<c>enum</c>, or <c>const</c> as a one-value enum); null when unrestricted.</summary>
    public List<string>? Enum { get; set; }

    public Dictionary<string, JsonSchemaNode> Properties { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Required { get; } = new(StringComparer.Ordinal);

    public ContentModel ContentModel { get; set; } = ContentModel.Open;

    /// <summary>The schema of undeclared properties when <see cref="ContentModel"/> is partially open.</summary>
    public JsonSchemaNode? AdditionalProperties { get; set; }

    public JsonSchemaNode? Items { get; set; }

    public decimal? MinLength { get; set; }

    public decimal? MaxLength { get; set; }

    public string? Pattern { get; set; }

    public decimal? Minimum { get; set; }

    public decimal? Maximum { get; set; }

    public decimal? ExclusiveMinimum { get; set; }

    public decimal? ExclusiveMaximum { get; set; }

    public decimal? MultipleOf { get; set; }

    public decimal? MinItems { get; set; }

    public decimal? MaxItems { get; set; }

    public bool UniqueItems { get; set; }

    public decimal? MinProperties { get; set; }

    public decimal? MaxProperties { get; set; }

    /// <summary>Branches of a schema that is only an <c>anyOf</c> / <c>oneOf</c>.</summary>
    public List<JsonSchemaNode>? Union { get; set; }

    /// <summary>"anyOf" or "oneOf" for a union.</summary>
    public string? UnionKeyword { get; set; }

    public bool HasDefault { get; set; }

    /// <summary>A <c>$ref</c> to another document, compared by its text only.</summary>
    public string? ExternalRef { get; set; }

    /// <summary>Keywords outside the understood subset (allOf, not, patternProperties, if/then/else, …) → canonical JSON.</summary>
    public SortedDictionary<string, string> Unsupported { get; } = new(StringComparer.Ordinal);

    public bool HasObjectKeywords { get; set; }

    /// <summary>True when the schema accepts every JSON value (<c>true</c> or <c>{}</c> with only annotations).</summary>
    public bool AcceptsEverything =>
        BooleanSchema == true ||
        (BooleanSchema is null && Types is null && Enum is null && !HasObjectKeywords && Items is null && Union is null && ExternalRef is null &&
         MinLength is null && MaxLength is null && Pattern is null && Minimum is null && Maximum is null && ExclusiveMinimum is null &&
         ExclusiveMaximum is null && MultipleOf is null && MinItems is null && MaxItems is null && !UniqueItems && Unsupported.Count == 0);

    /// <summary>True when the schema may accept values of <paramref name="type"/>.</summary>
    public bool Admits(string type) => Types is null || Types.Contains(type) || (type == "integer" && Types.Contains("number"));

    public string DescribeTypes() => Types is null ? "any type" : string.Join(" | ", Types.Order(StringComparer.Ordinal));
}
