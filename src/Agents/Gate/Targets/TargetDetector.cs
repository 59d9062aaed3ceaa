using Autopilot.Agents.Gate.Policy;

namespace Autopilot.Agents.Gate.Targets;

/// <summary>
/// Finds the services of a repository: the policy's <c>services</c> when it lists them, otherwise every folder with a
/// dependency file of a runnable service (a web or exe .csproj, package.json, go.mod, pom.xml, build.gradle,
/// pyproject.toml, requirements.txt, setup.py) that holds no other such folder (an aggregator such as a Maven parent
/// or an npm workspace root is not a service), outside test, example, vendor and docs folders.
/// </summary>
internal static class TargetDetector
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
    {
        "node_modules", "vendor", "third_party", "test", "tests", "testdata", "example", "examples", "samples", "benchmarks", "docs", ".github", "bin", "obj",
    };

    private static readonly HashSet<string> ManifestNames = new(StringComparer.Ordinal)
    {
        "package.json", "go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "pyproject.toml", "requirements.txt", "setup.py",
    };

    /// <summary>Services (by folder), plus the repository target (path ".") when no service sits at the root.</summary>
    public static List<GateTarget> Detect(Workspace workspace, GatePolicy policy, string repoName)
    {
        var targets = new List<GateTarget>();
        if (policy.Services is { } declared)
        {
            var missing = declared.Where(s => s.Path != "." && !workspace.FilesUnder(s.Path).Any()).Select(s => $"policy service '{s.Name}': folder {s.Path} has no files in the working tree").ToList();
            if (missing.Count > 0)
            {
                throw new GateUsageException(string.Join('\n', missing));
            }

            foreach (var s in declared)
            {
                var t = new GateTarget(s.Name, s.Path, isService: true);
                t.Manifests.AddRange(workspace.FilesUnder(s.Path).Where(f => IsManifest(f, workspace, requireRunnable: false) && Folder(f) == s.Path));
                targets.Add(t);
            }
        }
        else
        {
            var byFolder = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var file in workspace.Files)
            {
                if (!IsManifest(file, workspace, requireRunnable: true) || InSkippedFolder(file))
                {
                    continue;
                }

                var folder = Folder(file);
                if (!byFolder.TryGetValue(folder, out var list))
                {
                    byFolder[folder] = list = [];
                }

                list.Add(file);
            }

            foreach (var (folder, manifests) in byFolder)
            {
                var isAggregator = byFolder.Keys.Any(other => other != folder && (folder == "." || other.StartsWith(folder + "/", StringComparison.Ordinal)));
                if (isAggregator)
                {
                    continue;
                }

                var name = folder == "." ? repoName : folder[(folder.LastIndexOf('/') + 1)..];
                var t = new GateTarget(name, folder, isService: true);
                t.Manifests.AddRange(manifests);
                targets.Add(t);
            }
        }

        if (!targets.Any(t => t.Path == "."))
        {
            targets.Add(new GateTarget(repoName, ".", isService: false));
        }

        return targets;
    }

    /// <summary>The innermost target holding <paramref name="file"/> (the repository target when no service does).</summary>
    public static GateTarget Owner(IReadOnlyList<GateTarget> targets, string file)
    {
        GateTarget? best = null;
        var bestLength = -1;
        foreach (var t in targets)
        {
            var length = t.Path == "." ? 0 : t.Path.Length;
            if (t.Contains(file) && length > bestLength)
            {
                best = t;
                bestLength = length;
            }
        }

        return best ?? targets.First(t => t.Path == ".");
    }

    public static string Folder(string file)
    {
        var slash = file.LastIndexOf('/');
        return slash < 0 ? "." : file[..slash];
    }

    private static bool InSkippedFolder(string file)
    {
        var parts = file.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (SkippedFolders.Contains(parts[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsManifest(string file, Workspace workspace, bool requireRunnable)
    {
        var name = file[(file.LastIndexOf('/') + 1)..];
        if (name.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
        {
            if (!requireRunnable)
            {
                return true;
            }

            // Only executables are services; libraries and test projects are not.
            var text = workspace.Read(file) ?? string.Empty;
            var runnable = text.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase) ||
                           text.Contains("<OutputType>Exe</OutputType>", StringComparison.OrdinalIgnoreCase);
            var test = text.Contains("Microsoft.NET.Test.Sdk", StringComparison.OrdinalIgnoreCase) ||
                       text.Contains("<IsTestProject>true", StringComparison.OrdinalIgnoreCase) ||
                       name.Contains(".Tests", StringComparison.OrdinalIgnoreCase);
            return runnable && !test;
        }

        if (!ManifestNames.Contains(name))
        {
            return false;
        }

        if (requireRunnable && name == "package.json")
        {
            // An npm/yarn workspace root aggregates packages; it is not itself a service.
            return !(workspace.Read(file) ?? string.Empty).Contains("\"workspaces\"", StringComparison.Ordinal);
        }

        return true;
    }
}
