using Autopilot.Agents.Scout.Facts;
using Autopilot.Agents.Scout.Rules;
using Autopilot.Agents.Scout.Scanning;

namespace Autopilot.Agents.Scout.Manifests;

/// <summary>
/// Reads every build file and folds them into one manifest per project: Python's several files per folder
/// become one, settings.gradle names its root and marks aggregators, lock files decide npm / yarn / pnpm.
/// </summary>
internal static class ManifestReader
{
    /// <summary>The projects, sorted by build file, plus the package.json script facts (their start scripts may launch an agent).</summary>
    public static (List<BuildManifest> Manifests, List<FileFacts> PackageFacts, int Unreadable, long Bytes) Read(IReadOnlyList<RepoFile> files, int maxBytes, ScoutProgress? progress)
    {
        var build = new List<RepoFile>();
        var lockDirs = new Dictionary<string, BuildSystem>(StringComparer.Ordinal);
        var poetryLocks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            switch (f.Kind)
            {
                case FileKind.MavenPom or FileKind.GradleBuild or FileKind.GradleSettings or FileKind.GoMod or FileKind.PythonRequirements
                    or FileKind.PyProject or FileKind.SetupCfg or FileKind.SetupPy or FileKind.Pipfile or FileKind.PackageJson or FileKind.Csproj:
                    build.Add(f);
                    break;
                case FileKind.YarnLock:
                    lockDirs.TryAdd(f.RelDir, BuildSystem.Yarn);
                    break;
                case FileKind.PnpmLock:
                    lockDirs[f.RelDir] = BuildSystem.Pnpm;
                    break;
                case FileKind.PoetryLock:
                    poetryLocks.Add(f.RelDir);
                    break;
            }
        }

        var parsed = new BuildManifest?[build.Count];
        var texts = new string?[build.Count];
        long bytes = 0;
        var unreadable = 0;
        Parallel.For(0, build.Count, i =>
        {
            var f = build[i];
            var (text, _) = TextFile.Read(f.FullPath, maxBytes);
            if (text is null)
            {
                Interlocked.Increment(ref unreadable);
                return;
            }

            Interlocked.Add(ref bytes, text.Length);
            texts[i] = text;
            parsed[i] = f.Kind switch
            {
                FileKind.MavenPom => MavenPomParser.Parse(f.RelPath, text),
                FileKind.GradleBuild => GradleParser.Parse(f.RelPath, text),
                FileKind.GoMod => GoModParser.Parse(f.RelPath, text),
                FileKind.PythonRequirements => PythonManifestParser.ParseRequirements(f.RelPath, text),
                FileKind.PyProject => PythonManifestParser.ParsePyProject(f.RelPath, text, poetryLocks.Contains(f.RelDir)),
                FileKind.SetupCfg => PythonManifestParser.ParseSetupCfg(f.RelPath, text),
                FileKind.SetupPy => PythonManifestParser.ParseSetupPy(f.RelPath, text),
                FileKind.Pipfile => PythonManifestParser.ParsePipfile(f.RelPath, text),
                FileKind.PackageJson => PackageJsonParser.Parse(f.RelPath, text),
                FileKind.Csproj => CsprojParser.Parse(f.RelPath, text),
                _ => null, // settings.gradle is applied below
            };
        });
        progress?.AddFilesRead(build.Count);

        var result = new List<BuildManifest>();
        var python = new Dictionary<string, List<BuildManifest>>(StringComparer.Ordinal);
        var packageFacts = new List<FileFacts>();
        for (var i = 0; i < build.Count; i++)
        {
            var f = build[i];
            if (parsed[i] is not { } m)
            {
                continue;
            }

            switch (m.Ecosystem)
            {
                case Ecosystem.Python:
                    // requirements/base.txt belongs to the project above the requirements folder.
                    var dir = RepoPaths.FileName(f.RelDir) == "requirements" && f.Kind == FileKind.PythonRequirements ? RepoPaths.Parent(f.RelDir) : f.RelDir;
                    if (!python.TryGetValue(dir, out var list))
                    {
                        python[dir] = list = [];
                    }

                    list.Add(m);
                    break;
                case Ecosystem.Node:
                    m.BuildSystem = m.BuildSystem != BuildSystem.Npm ? m.BuildSystem : LockFor(f.RelDir, lockDirs);
                    var facts = new FileFacts(f);
                    LineScanner.Scan(facts, texts[i]!, SourcePatterns.Config);
                    packageFacts.Add(facts);
                    result.Add(m);
                    break;
                default:
                    result.Add(m);
                    break;
            }
        }

        foreach (var (dir, list) in python)
        {
            result.Add(MergePython(dir, list));
        }

        // settings.gradle: the root project's name; a root that only includes subprojects is an aggregator.
        for (var i = 0; i < build.Count; i++)
        {
            if (build[i].Kind != FileKind.GradleSettings || texts[i] is not { } text)
            {
                continue;
            }

            var root = result.Find(m => m.BuildSystem == BuildSystem.Gradle && m.Dir == build[i].RelDir);
            GradleParser.ApplySettings(root, text, out _, out var includes);
            if (root is not null && includes && !root.IsExecutable)
            {
                root.IsAggregator = true;
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.File, b.File));
        return (result, packageFacts, unreadable, bytes);
    }

    private static BuildSystem LockFor(string dir, Dictionary<string, BuildSystem> lockDirs)
    {
        // A workspace keeps one lock file at its root: look upwards.
        for (var d = dir; ; d = RepoPaths.Parent(d))
        {
            if (lockDirs.TryGetValue(d, out var system))
            {
                return system;
            }

            if (d == RepoPaths.Root)
            {
                return BuildSystem.Npm;
            }
        }
    }

    /// <summary>One Python project per folder: pyproject.toml, then setup.cfg, setup.py, Pipfile, requirements.txt name it; dependencies are the union.</summary>
    private static BuildManifest MergePython(string dir, List<BuildManifest> parts)
    {
        static int Rank(BuildManifest m) => RepoPaths.FileName(m.File) switch
        {
            "pyproject.toml" => 0,
            "setup.cfg" => 1,
            "setup.py" => 2,
            "Pipfile" => 3,
            "requirements.txt" => 4,
            _ => 5,
        };

        parts.Sort((a, b) => Rank(a) != Rank(b) ? Rank(a).CompareTo(Rank(b)) : string.CompareOrdinal(a.File, b.File));
        var main = parts[0];
        var merged = new BuildManifest(Ecosystem.Python, main.BuildSystem, main.File) { Name = parts.Select(p => p.Name).FirstOrDefault(n => n is not null), ParseError = main.ParseError };
        foreach (var part in parts)
        {
            merged.Dependencies.AddRange(part.Dependencies);
            if (!ReferenceEquals(part, main))
            {
                merged.OtherFiles.Add(part.File);
            }
        }

        // A project whose only build files sit in requirements/ is rooted above it.
        merged.Dir = dir;
        return merged;
    }
}
