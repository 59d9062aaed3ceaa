using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Autopilot.Agents.Author.Edits;

/// <summary>
/// Adds entries to a package.json's <c>dependencies</c>, <c>devDependencies</c> and <c>scripts</c>, skipping keys already
/// there. The file is rewritten with its indentation; dependency sections that were sorted (as npm keeps them) stay sorted.
/// </summary>
internal static class PackageJsonEdit
{
    private static readonly string[] Sections = ["dependencies", "devDependencies", "scripts"];

    /// <summary>The package.json with the missing entries of <paramref name="fragment"/> added; null when nothing is missing.</summary>
    public static string? Apply(string packageJson, string fragment, string what)
    {
        JsonObject root;
        JsonObject add;
        try
        {
            root = JsonNode.Parse(packageJson) as JsonObject ?? throw new EditException($"{what}: the top level is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new EditException($"{what} is not valid JSON: {e.Message}");
        }

        try
        {
            add = JsonNode.Parse(fragment) as JsonObject ?? throw new EditException("the template's package.json fragment is not an object.");
        }
        catch (JsonException e)
        {
            throw new EditException($"the template's package.json fragment is not valid JSON: {e.Message}");
        }

        var changed = false;
        foreach (var name in Sections)
        {
            if (add[name] is not JsonObject wanted || wanted.Count == 0)
            {
                continue;
            }

            if (root[name] is not JsonObject section)
            {
                if (root[name] is not null)
                {
                    throw new EditException($"{what}: \"{name}\" is not an object.");
                }

                section = [];
                root[name] = section;
            }

            var wasSorted = name != "scripts" && IsSorted(section);
            foreach (var (key, value) in wanted)
            {
                // A dependency already declared in the other dependency section counts as present.
                var elsewhere = name switch
                {
                    "dependencies" => root["devDependencies"] as JsonObject,
                    "devDependencies" => root["dependencies"] as JsonObject,
                    _ => null,
                };
                if (section.ContainsKey(key) || (elsewhere?.ContainsKey(key) ?? false))
                {
                    continue;
                }

                section[key] = value?.DeepClone();
                changed = true;
            }

            if (wasSorted && !IsSorted(section))
            {
                var entries = section.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, Value: e.Value?.DeepClone())).ToList();
                section.Clear();
                foreach (var (k, v) in entries)
                {
                    section[k] = v;
                }
            }
        }

        if (!changed)
        {
            return null;
        }

        var unit = TextLayout.Unit(packageJson);
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            IndentCharacter = unit == "\t" ? '\t' : ' ',
            IndentSize = unit == "\t" ? 1 : unit.Length,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NewLine = TextLayout.NewLine(packageJson),
        };
        var text = root.ToJsonString(options);
        return packageJson.EndsWith('\n') ? text + options.NewLine : text;
    }

    private static bool IsSorted(JsonObject section)
    {
        string? previous = null;
        foreach (var (key, _) in section)
        {
            if (previous is not null && string.CompareOrdinal(previous, key) > 0)
            {
                return false;
            }

            previous = key;
        }

        return true;
    }
}
