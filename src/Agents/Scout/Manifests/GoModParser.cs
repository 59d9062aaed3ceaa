using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>go.mod: the module path and its direct requirements (<c>// indirect</c> ones are somebody else's).</summary>
internal static class GoModParser
{
    public static BuildManifest Parse(string relPath, string text)
    {
        var manifest = new BuildManifest(Ecosystem.Go, BuildSystem.GoModules, relPath);
        var lineNumber = 0;
        var inRequire = false;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            lineNumber++;
            var trimmed = raw.Trim();
            if (trimmed.IsEmpty || trimmed.StartsWith("//"))
            {
                continue;
            }

            var line = raw.ToString();
            if (ScoutRegex.GoModule().Match(line) is { Success: true } module)
            {
                manifest.Name = LastElement(module.Groups["m"].Value);
                continue;
            }

            if (trimmed.StartsWith("require") && trimmed.EndsWith("("))
            {
                inRequire = true;
                continue;
            }

            if (trimmed.SequenceEqual(")"))
            {
                inRequire = false;
                continue;
            }

            if ((inRequire || trimmed.StartsWith("require ")) && ScoutRegex.GoRequire().Match(line) is { Success: true } require && !require.Groups["ind"].Success)
            {
                manifest.Dependencies.Add(new Dependency(require.Groups["p"].Value, relPath, lineNumber, TextFile.Trim(raw), DependencyScope.Runtime));
            }
        }

        return manifest;
    }

    /// <summary><c>github.com/acme/payments/v2</c> → <c>payments</c>.</summary>
    private static string LastElement(string modulePath)
    {
        var parts = modulePath.Trim('"').Split('/');
        var last = parts[^1];
        if (parts.Length > 1 && last.Length >= 2 && last[0] == 'v' && last.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0)
        {
            last = parts[^2];
        }

        return last;
    }
}
