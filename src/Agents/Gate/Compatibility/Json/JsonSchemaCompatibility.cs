using System.Globalization;

namespace Autopilot.Agents.Gate.Compatibility.Json;

/// <summary>
/// JSON Schema compatibility with Confluent Schema Registry's rules (its <c>json.diff</c> package): a reader schema
/// is compatible with a writer schema when it accepts every document the writer accepts. The content model decides
/// what adding or removing a property means: adding a property is only safe when the writer's model is closed
/// (<c>additionalProperties: false</c>; an open model may already carry that name with any type) and the property
/// is optional or has a default; removing a property is only safe when the reader's model is open (or its
/// <c>additionalProperties</c> schema accepts the old property). Rule ids are Confluent's <c>Difference.Type</c>
/// names; the few the registry has no name for are <c>ENUM_ARRAY_ADDED</c>, <c>REFERENCE_CHANGED</c> and
/// <c>UNSUPPORTED_KEYWORD_CHANGED</c> (a keyword outside the understood subset changed, so compatibility cannot be proven).
/// </summary>
internal sealed class JsonSchemaCompatibility
{
    private readonly Sides _sides;
    private readonly List<Incompatibility> _found;
    private readonly HashSet<(JsonSchemaNode Writer, JsonSchemaNode Reader)> _inProgress = [];

    private JsonSchemaCompatibility(Sides sides, List<Incompatibility> found)
    {
        _sides = sides;
        _found = found;
    }

    /// <summary>Adds to <paramref name="found"/> every reason <paramref name="reader"/> rejects documents <paramref name="writer"/> accepts.</summary>
    public static void Check(JsonSchemaNode reader, JsonSchemaNode writer, CompatibilityDirection direction, List<Incompatibility> found) =>
        new JsonSchemaCompatibility(new Sides(direction), found).Compare(writer, reader, "#");

    private bool Compare(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        if (!_inProgress.Add((w, r)))
        {
            return true;
        }

        try
        {
            var before = _found.Count;
            CompareCore(w, r, path);
            return _found.Count == before;
        }
        finally
        {
            _inProgress.Remove((w, r));
        }
    }

    private void CompareCore(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        if (w.BooleanSchema == false || r.AcceptsEverything)
        {
            return;
        }

        if (r.BooleanSchema == false)
        {
            Add(path, "TYPE_CHANGED", w, r, $"'{path}' accepts nothing in the {_sides.Reader} schema (false)");
            return;
        }

        if (w.ExternalRef is not null || r.ExternalRef is not null)
        {
            if (!string.Equals(w.ExternalRef, r.ExternalRef, StringComparison.Ordinal))
            {
                Add(path, "REFERENCE_CHANGED", w, r,
                    $"'{path}' refers to {w.ExternalRef ?? "an inline schema"} in the {_sides.Writer} schema and {r.ExternalRef ?? "an inline schema"} in the {_sides.Reader} schema; references to other documents are compared by name only");
            }

            return;
        }

        if (w.Union is not null || r.Union is not null)
        {
            CompareUnions(w, r, path);
            return;
        }

        if (w.AcceptsEverything)
        {
            Add(path, "TYPE_CHANGED", w, r, $"'{path}' accepts any value in the {_sides.Writer} schema but only {r.DescribeTypes()} with constraints in the {_sides.Reader} schema");
            return;
        }

        if (!CompareTypes(w, r, path))
        {
            return;
        }

        CompareEnums(w, r, path);
        if (Both(w, r, "string"))
        {
            CompareStrings(w, r, path);
        }

        if (Both(w, r, "number") || Both(w, r, "integer"))
        {
            CompareNumbers(w, r, path);
        }

        if (Both(w, r, "array"))
        {
            CompareArrays(w, r, path);
        }

        if (Both(w, r, "object") && (w.HasObjectKeywords || r.HasObjectKeywords))
        {
            CompareObjects(w, r, path);
        }

        foreach (var key in w.Unsupported.Keys.Union(r.Unsupported.Keys).Order(StringComparer.Ordinal))
        {
            w.Unsupported.TryGetValue(key, out var before);
            r.Unsupported.TryGetValue(key, out var after);
            if (!string.Equals(before, after, StringComparison.Ordinal))
            {
                Add($"{path}/{key}", "UNSUPPORTED_KEYWORD_CHANGED", w, r,
                    $"'{key}' at '{path}' differs between the schemas; the gate compares only type, properties, required, enum, additionalProperties, items, anyOf/oneOf, $ref and length/range limits, so it cannot prove this change compatible (review it, or waive the check)");
            }
        }
    }

    private static bool Both(JsonSchemaNode w, JsonSchemaNode r, string type) => w.Admits(type) && r.Admits(type);

    private bool CompareTypes(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        if (r.Types is null)
        {
            return true;
        }

        if (w.Types is null)
        {
            Add(path, "TYPE_CHANGED", w, r, $"'{path}' allows any type in the {_sides.Writer} schema but only {r.DescribeTypes()} in the {_sides.Reader} schema");
            return false;
        }

        var lost = w.Types.Where(t => !r.Admits(t)).Order(StringComparer.Ordinal).ToList();
        if (lost.Count == 0)
        {
            return true;
        }

        var rule = lost is ["number"] && r.Types.Contains("integer") ? "TYPE_NARROWED"
            : lost.Count < w.Types.Count ? "SUM_TYPE_NARROWED"
            : "TYPE_CHANGED";
        Add(path, rule, w, r, $"'{path}' is {w.DescribeTypes()} in the {_sides.Writer} schema and {r.DescribeTypes()} in the {_sides.Reader} schema, which rejects {string.Join(", ", lost)}");
        return false;
    }

    private void CompareEnums(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        if (r.Enum is null)
        {
            return;
        }

        if (w.Enum is null)
        {
            Add(path + "/enum", "ENUM_ARRAY_ADDED", w, r, $"'{path}' is restricted to {Join(r.Enum)} in the {_sides.Reader} schema but unrestricted in the {_sides.Writer} schema");
            return;
        }

        var missing = w.Enum.Where(v => !r.Enum.Contains(v, StringComparer.Ordinal)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var rule = r.Enum.All(v => w.Enum.Contains(v, StringComparer.Ordinal)) ? "ENUM_ARRAY_NARROWED" : "ENUM_ARRAY_CHANGED";
        Add(path + "/enum", rule, w, r, $"'{path}' in the {_sides.Reader} schema no longer allows {Join(missing)}, which the {_sides.Writer} schema allows");
    }

    private void CompareStrings(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        UpperBound(w.MaxLength, r.MaxLength, w, r, path, "maxLength", "MAX_LENGTH");
        LowerBound(w.MinLength, r.MinLength, w, r, path, "minLength", "MIN_LENGTH");
        if (r.Pattern is not null && !string.Equals(w.Pattern, r.Pattern, StringComparison.Ordinal))
        {
            Add(path + "/pattern", w.Pattern is null ? "PATTERN_ADDED" : "PATTERN_CHANGED", w, r,
                $"'{path}' must match /{r.Pattern}/ in the {_sides.Reader} schema" + (w.Pattern is null ? $" but is unrestricted in the {_sides.Writer} schema" : $" instead of /{w.Pattern}/"));
        }
    }

    private void CompareNumbers(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        UpperBound(w.Maximum, r.Maximum, w, r, path, "maximum", "MAXIMUM");
        LowerBound(w.Minimum, r.Minimum, w, r, path, "minimum", "MINIMUM");
        UpperBound(w.ExclusiveMaximum, r.ExclusiveMaximum, w, r, path, "exclusiveMaximum", "EXCLUSIVE_MAXIMUM");
        LowerBound(w.ExclusiveMinimum, r.ExclusiveMinimum, w, r, path, "exclusiveMinimum", "EXCLUSIVE_MINIMUM");
        if (r.MultipleOf is { } rm && w.MultipleOf != rm)
        {
            // Reducing to a divisor of the old multipleOf keeps every old value valid (MULTIPLE_OF_REDUCED is compatible).
            if (w.MultipleOf is not { } wm || wm % rm != 0)
            {
                Add(path + "/multipleOf", w.MultipleOf is null ? "MULTIPLE_OF_ADDED" : "MULTIPLE_OF_CHANGED", w, r,
                    $"'{path}' must be a multiple of {Num(rm)} in the {_sides.Reader} schema" + (w.MultipleOf is { } old ? $", not of {Num(old)}" : string.Empty));
            }
        }
    }

    private void CompareArrays(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        if (r.Items is not null)
        {
            Compare(w.Items ?? new JsonSchemaNode(w.Line) { BooleanSchema = true }, r.Items, path + "/items");
        }

        UpperBound(w.MaxItems, r.MaxItems, w, r, path, "maxItems", "MAX_ITEMS");
        LowerBound(w.MinItems, r.MinItems, w, r, path, "minItems", "MIN_ITEMS");
        if (r.UniqueItems && !w.UniqueItems)
        {
            Add(path + "/uniqueItems", "UNIQUE_ITEMS_ADDED", w, r, $"'{path}' requires unique items in the {_sides.Reader} schema only");
        }
    }

    private void CompareObjects(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        foreach (var (name, rp) in r.Properties)
        {
            if (w.Properties.TryGetValue(name, out var wp) && r.Required.Contains(name) && !w.Required.Contains(name) && !rp.HasDefault)
            {
                Add($"{path}/required/{name}", "REQUIRED_ATTRIBUTE_ADDED", wp, rp,
                    $"'{name}' at '{path}' is required in the {_sides.Reader} schema without a default but optional in the {_sides.Writer} schema");
            }
        }

        foreach (var (name, wp) in w.Properties)
        {
            var propPath = $"{path}/properties/{name}";
            if (r.Properties.TryGetValue(name, out var rp))
            {
                Compare(wp, rp, propPath);
                continue;
            }

            switch (r.ContentModel)
            {
                case ContentModel.Open:
                    break;
                case ContentModel.PartiallyOpen when Fits(wp, r.AdditionalProperties!, propPath):
                    break;
                case ContentModel.PartiallyOpen:
                    Add(propPath, "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", wp, r,
                        $"'{propPath}' is declared in the {_sides.Writer} schema only, and the {_sides.Reader} schema's additionalProperties schema does not accept its values");
                    break;
                default:
                    if (wp.BooleanSchema != false)
                    {
                        Add(propPath, "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", wp, r,
                            $"'{propPath}' is declared in the {_sides.Writer} schema only, and the {_sides.Reader} schema's content model is closed (additionalProperties: false), so documents carrying it are rejected");
                    }

                    break;
            }
        }

        foreach (var (name, rp) in r.Properties)
        {
            if (w.Properties.ContainsKey(name))
            {
                continue;
            }

            var propPath = $"{path}/properties/{name}";
            if (w.ContentModel == ContentModel.Open)
            {
                if (!rp.AcceptsEverything)
                {
                    Add(propPath, "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", w, rp,
                        $"'{propPath}' is declared in the {_sides.Reader} schema only, but the {_sides.Writer} schema's content model is open (additionalProperties absent or true), so its documents may already carry '{name}' with any value; close the {_sides.Writer} model first (additionalProperties: false)");
                }

                continue;
            }

            if (w.ContentModel == ContentModel.PartiallyOpen && !Fits(w.AdditionalProperties!, rp, propPath))
            {
                Add(propPath, "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", w, rp,
                    $"'{propPath}' is declared in the {_sides.Reader} schema only, and values the {_sides.Writer} schema's additionalProperties schema allows under that name are not all valid for it");
            }

            if (r.Required.Contains(name) && !rp.HasDefault)
            {
                Add(propPath, "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", w, rp,
                    $"'{propPath}' is required in the {_sides.Reader} schema without a default, and documents written with the {_sides.Writer} schema never have it");
            }
        }

        CompareAdditionalProperties(w, r, path);
        UpperBound(w.MaxProperties, r.MaxProperties, w, r, path, "maxProperties", "MAX_PROPERTIES");
        LowerBound(w.MinProperties, r.MinProperties, w, r, path, "minProperties", "MIN_PROPERTIES");
    }

    private void CompareAdditionalProperties(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        var p = path + "/additionalProperties";
        switch (w.ContentModel, r.ContentModel)
        {
            case (ContentModel.Open, ContentModel.Closed) or (ContentModel.PartiallyOpen, ContentModel.Closed):
                Add(p, "ADDITIONAL_PROPERTIES_REMOVED", w, r, $"'{path}' rejects undeclared properties in the {_sides.Reader} schema (additionalProperties: false) but allows them in the {_sides.Writer} schema");
                break;
            case (ContentModel.Open, ContentModel.PartiallyOpen):
                Add(p, "ADDITIONAL_PROPERTIES_NARROWED", w, r, $"'{path}' constrains undeclared properties with a schema in the {_sides.Reader} schema but allows any in the {_sides.Writer} schema");
                break;
            case (ContentModel.PartiallyOpen, ContentModel.PartiallyOpen):
                Compare(w.AdditionalProperties!, r.AdditionalProperties!, p);
                break;
        }
    }

    private void CompareUnions(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        if (w.Union is not null && r.Union is not null && w.Union.Count > 1 && r.Union.Count > 1 &&
            w.UnionKeyword == "anyOf" && r.UnionKeyword == "oneOf")
        {
            Add(path, "COMBINED_TYPE_CHANGED", w, r, $"'{path}' changed from anyOf to oneOf: a document matching several branches is rejected by the {_sides.Reader} schema");
        }

        var writerBranches = w.Union ?? [w];
        for (var i = 0; i < writerBranches.Count; i++)
        {
            var branch = writerBranches[i];
            var branchPath = w.Union is null ? path : $"{path}/{w.UnionKeyword}/{i}";
            if (r.Union is null)
            {
                Compare(branch, r, branchPath);
                continue;
            }

            if (r.Union.Any(rb => Fits(branch, rb, branchPath)))
            {
                continue;
            }

            Add(branchPath, w.Union is null ? "COMBINED_TYPE_SUBSCHEMAS_CHANGED" : "SUM_TYPE_NARROWED", w, r,
                $"no branch of the {_sides.Reader} schema's {r.UnionKeyword} at '{path}' accepts everything '{branchPath}' of the {_sides.Writer} schema accepts");
        }
    }

    /// <summary>Trial comparison: whether <paramref name="r"/> accepts everything <paramref name="w"/> does, without recording findings.</summary>
    private bool Fits(JsonSchemaNode w, JsonSchemaNode r, string path)
    {
        var probe = new JsonSchemaCompatibility(_sides, []);
        foreach (var pair in _inProgress)
        {
            probe._inProgress.Add(pair);
        }

        return probe.Compare(w, r, path);
    }

    /// <summary>A reader maximum must not be new or lower (…_ADDED / …_DECREASED).</summary>
    private void UpperBound(decimal? wv, decimal? rv, JsonSchemaNode w, JsonSchemaNode r, string path, string keyword, string rule)
    {
        if (rv is { } after && (wv is not { } before || after < before))
        {
            Add($"{path}/{keyword}", rule + (wv is null ? "_ADDED" : "_DECREASED"), w, r,
                $"'{path}' has {keyword} {Num(after)} in the {_sides.Reader} schema" + (wv is { } b ? $" (was {Num(b)})" : $" and none in the {_sides.Writer} schema"));
        }
    }

    /// <summary>A reader minimum must not be new or higher (…_ADDED / …_INCREASED).</summary>
    private void LowerBound(decimal? wv, decimal? rv, JsonSchemaNode w, JsonSchemaNode r, string path, string keyword, string rule)
    {
        if (rv is { } after && (wv is not { } before || after > before))
        {
            Add($"{path}/{keyword}", rule + (wv is null ? "_ADDED" : "_INCREASED"), w, r,
                $"'{path}' has {keyword} {Num(after)} in the {_sides.Reader} schema" + (wv is { } b ? $" (was {Num(b)})" : $" and none in the {_sides.Writer} schema"));
        }
    }

    private static string Num(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static string Join(IEnumerable<string> values) => "[" + string.Join(", ", values) + "]";

    private void Add(string path, string rule, JsonSchemaNode w, JsonSchemaNode r, string message) =>
        _found.Add(new Incompatibility(_sides.Direction, path, rule, $"{_sides.Prefix}: {message} ({rule})", _sides.ReaderIsHead ? r.Line : w.Line));
}
