namespace Autopilot.Agents.Author.Edits;

/// <summary>Adds <c>require</c> lines to a go.mod, skipping modules it already requires (directly or as indirect).</summary>
internal static class GoModEdit
{
    /// <summary>The go.mod with every missing <c>module version</c> line of <paramref name="fragment"/> required; null when none is missing.</summary>
    public static string? Apply(string goMod, string fragment, string what)
    {
        var lines = goMod.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (!lines.Any(l => l.TrimStart().StartsWith("module ", StringComparison.Ordinal)))
        {
            throw new EditException($"{what}: no 'module' line; is this a go.mod?");
        }

        var required = new HashSet<string>(StringComparer.Ordinal);
        var inBlock = false;
        var blockEnd = -1;
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].Trim();
            if (inBlock)
            {
                if (t == ")")
                {
                    inBlock = false;
                    blockEnd = blockEnd < 0 ? i : blockEnd;
                    continue;
                }

                AddModule(t, required);
            }
            else if (t.StartsWith("require (", StringComparison.Ordinal) || t == "require(")
            {
                inBlock = true;
            }
            else if (t.StartsWith("require ", StringComparison.Ordinal))
            {
                AddModule(t["require ".Length..], required);
            }
        }

        var missing = new List<string>();
        foreach (var raw in fragment.Split('\n'))
        {
            var t = raw.Trim();
            if (t.Length == 0 || t.StartsWith("//", StringComparison.Ordinal))
            {
                continue;
            }

            var parts = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !parts[1].StartsWith('v'))
            {
                throw new EditException($"the template's go.mod fragment line '{t}' is not 'module vX.Y.Z'.");
            }

            if (!required.Contains(parts[0]))
            {
                missing.Add(parts[0] + " " + parts[1]);
            }
        }

        if (missing.Count == 0)
        {
            return null;
        }

        var nl = TextLayout.NewLine(goMod);
        var list = lines.ToList();
        if (blockEnd >= 0)
        {
            list.InsertRange(blockEnd, missing.Select(m => "\t" + m));
            return string.Join(nl, list);
        }

        return TextLayout.EnsureFinalNewLine(goMod, nl) + nl + "require (" + nl + string.Concat(missing.Select(m => "\t" + m + nl)) + ")" + nl;
    }

    private static void AddModule(string requirement, HashSet<string> required)
    {
        var t = requirement.Trim();
        if (t.Length > 0 && !t.StartsWith("//", StringComparison.Ordinal))
        {
            required.Add(t.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        }
    }
}
