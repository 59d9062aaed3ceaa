using System.Text;
using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>requirements*.txt, pyproject.toml (PEP 621 and Poetry), setup.cfg, setup.py and Pipfile, line by line.</summary>
internal static class PythonManifestParser
{
    public static BuildManifest ParseRequirements(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Python, BuildSystem.Pip, relPath);
        var name = RepoPaths.FileName(relPath);
        var scope = name.Contains("dev", StringComparison.OrdinalIgnoreCase) || name.Contains("test", StringComparison.OrdinalIgnoreCase) || name.Contains("lint", StringComparison.OrdinalIgnoreCase)
            ? DependencyScope.Test
            : DependencyScope.Runtime;
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var trimmed = raw.Trim();
            if (trimmed.IsEmpty || trimmed[0] is '#' or '-')
            {
                continue;
            }

            AddRequirement(manifest, trimmed.ToString(), lineNumber, raw, scope);
        }

        return manifest;
    }

    public static BuildManifest ParsePyProject(string relPath, string text, bool poetryLockBeside)
    {
        var manifest = new BuildManifest(Ecosystem.Python, poetryLockBeside ? BuildSystem.Poetry : BuildSystem.Pyproject, relPath);
        string? table = null;
        string? arrayKey = null; // inside a multi-line array: its scope
        var arrayScope = DependencyScope.Runtime;
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.ToString();
            var trimmed = raw.Trim();
            if (trimmed.IsEmpty || trimmed[0] == '#')
            {
                continue;
            }

            if (arrayKey is not null)
            {
                AddQuoted(manifest, line, lineNumber, raw, arrayScope);
                if (ClosesArray(line))
                {
                    arrayKey = null;
                }

                continue;
            }

            if (ScoutRegex.TomlHeader().Match(line) is { Success: true } header)
            {
                table = header.Groups["h"].Value;
                if (table.StartsWith("tool.poetry", StringComparison.Ordinal))
                {
                    manifest.BuildSystem = BuildSystem.Poetry;
                }

                continue;
            }

            if (ScoutRegex.TomlKeyValue().Match(line) is not { Success: true } kv)
            {
                continue;
            }

            var key = kv.Groups["k"].Value.Trim('"', '\'');
            var value = kv.Groups["v"].Value;
            if (key == "name" && table is "project" or "tool.poetry" && ScoutRegex.QuotedString().Match(value) is { Success: true } n)
            {
                manifest.Name = n.Groups["s"].Value;
                continue;
            }

            // PEP 621 arrays: [project] dependencies, [project.optional-dependencies] <extra>, [dependency-groups] <group>.
            var arrayScopeHere = (table, key) switch
            {
                ("project", "dependencies") => DependencyScope.Runtime,
                ("project.optional-dependencies", var extra) => extra.Contains("test", StringComparison.Ordinal) || extra.Contains("dev", StringComparison.Ordinal) ? DependencyScope.Test : DependencyScope.Runtime,
                ("dependency-groups", _) => DependencyScope.Test,
                _ => (DependencyScope?)null,
            };
            if (arrayScopeHere is { } s && value.TrimStart().StartsWith('['))
            {
                AddQuoted(manifest, value, lineNumber, raw, s);
                if (!ClosesArray(value))
                {
                    arrayKey = key;
                    arrayScope = s;
                }

                continue;
            }

            // Poetry tables: [tool.poetry.dependencies], [tool.poetry.group.<g>.dependencies], [tool.poetry.dev-dependencies].
            if (table is not null && table.StartsWith("tool.poetry", StringComparison.Ordinal) && table.EndsWith("dependencies", StringComparison.Ordinal) && key != "python")
            {
                var scope = table == "tool.poetry.dependencies" ? DependencyScope.Runtime : DependencyScope.Test;
                manifest.Dependencies.Add(new Dependency(Normalize(key), relPath, lineNumber, TextFile.Trim(raw), scope));
            }
        }

        return manifest;
    }

    public static BuildManifest ParseSetupCfg(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Python, BuildSystem.Pip, relPath);
        string? section = null;
        var inRequires = false;
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var trimmed = raw.Trim();
            if (trimmed.IsEmpty || trimmed[0] is '#' or ';')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                section = trimmed.Trim("[]").ToString();
                inRequires = false;
                continue;
            }

            var indented = raw.Length > 0 && char.IsWhiteSpace(raw[0]);
            if (inRequires && indented)
            {
                AddRequirement(manifest, trimmed.ToString(), lineNumber, raw, DependencyScope.Runtime);
                continue;
            }

            inRequires = false;
            var eq = trimmed.IndexOf('=');
            if (eq < 0)
            {
                continue;
            }

            var key = trimmed[..eq].Trim();
            var value = trimmed[(eq + 1)..].Trim();
            if (section == "metadata" && key.SequenceEqual("name"))
            {
                manifest.Name = value.ToString();
            }
            else if (section == "options" && key.SequenceEqual("install_requires"))
            {
                inRequires = true;
                if (!value.IsEmpty)
                {
                    AddRequirement(manifest, value.ToString(), lineNumber, raw, DependencyScope.Runtime);
                }
            }
        }

        return manifest;
    }

    public static BuildManifest ParseSetupPy(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Python, BuildSystem.Pip, relPath);
        var inRequires = false;
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.ToString();
            if (manifest.Name is null && ScoutRegex.SetupPyName().Match(line) is { Success: true } name)
            {
                manifest.Name = name.Groups["n"].Value;
            }

            var at = line.IndexOf("install_requires", StringComparison.Ordinal);
            if (at >= 0)
            {
                inRequires = true;
                line = line[at..];
            }

            if (inRequires)
            {
                AddQuoted(manifest, line, lineNumber, raw, DependencyScope.Runtime);
                if (line.Contains(']', StringComparison.Ordinal))
                {
                    inRequires = false;
                }
            }
        }

        return manifest;
    }

    public static BuildManifest ParsePipfile(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Python, BuildSystem.Pip, relPath);
        string? table = null;
        var lineNumber = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var line = raw.ToString();
            if (ScoutRegex.TomlHeader().Match(line) is { Success: true } header)
            {
                table = header.Groups["h"].Value;
                continue;
            }

            if (table is "packages" or "dev-packages" && ScoutRegex.TomlKeyValue().Match(line) is { Success: true } kv)
            {
                var scope = table == "packages" ? DependencyScope.Runtime : DependencyScope.Test;
                manifest.Dependencies.Add(new Dependency(Normalize(kv.Groups["k"].Value.Trim('"', '\'')), relPath, lineNumber, TextFile.Trim(raw), scope));
            }
        }

        return manifest;
    }

    /// <summary>A ']' outside quotes ends the array (the one in <c>"uvicorn[standard]"</c> does not).</summary>
    private static bool ClosesArray(string text) => ScoutRegex.QuotedString().Replace(text, string.Empty).Contains(']', StringComparison.Ordinal);

    /// <summary>PEP 503 normalisation: lowercase, runs of <c>-_.</c> become one dash.</summary>
    public static string Normalize(string name)
    {
        var sb = new StringBuilder(name.Length);
        var dash = false;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                dash = true;
                continue;
            }

            if (dash && sb.Length > 0)
            {
                sb.Append('-');
            }

            dash = false;
            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    private static void AddQuoted(BuildManifest manifest, string text, int lineNumber, ReadOnlySpan<char> raw, DependencyScope scope)
    {
        foreach (System.Text.RegularExpressions.Match m in ScoutRegex.QuotedString().Matches(text))
        {
            AddRequirement(manifest, m.Groups["s"].Value, lineNumber, raw, scope);
        }
    }

    private static void AddRequirement(BuildManifest manifest, string requirement, int lineNumber, ReadOnlySpan<char> raw, DependencyScope scope)
    {
        if (ScoutRegex.PythonRequirement().Match(requirement) is { Success: true } m)
        {
            manifest.Dependencies.Add(new Dependency(Normalize(m.Groups["n"].Value), manifest.File, lineNumber, TextFile.Trim(raw), scope));
        }
    }
}
