namespace Autopilot.Agents.Scout.Scanning;

/// <summary>
/// Decides from a path alone what a file is and which folders are skipped, so the walk reads nothing it
/// does not need. Names are compared ordinally: these machines and most repositories are case-sensitive.
/// </summary>
internal static class FileClassifier
{
    /// <summary>Vendored, generated, build-output and tool folders; never descended into.</summary>
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        "node_modules", "bower_components", "jspm_packages", "vendor", "third_party", "third-party", "Pods",
        "target", "build", "dist", "out", "bin", "obj", "TestResults", "BenchmarkDotNet.Artifacts", "coverage",
        "__pycache__", "venv", "site-packages", "generated", "__generated__", "storybook-static", "cdk.out",
    };

    private static readonly HashSet<string> TestDirectories = new(StringComparer.Ordinal)
    {
        "test", "tests", "__tests__", "testdata", "spec", "specs", "e2e", "it", "integration-tests", "testing",
    };

    private static readonly HashSet<string> DeploymentDirectories = new(StringComparer.Ordinal)
    {
        "helm", "charts", "chart", "k8s", "kubernetes", "kube", "deploy", "deployment", "deployments", "manifests", "kustomize", "overlays", "base",
    };

    /// <summary>Whether a folder is skipped: dot-folders (.git, .venv, .gradle, .idea, …) and the vendored/generated names above.</summary>
    public static bool IsSkippedDirectory(string name) => name.Length == 0 || name[0] == '.' || SkippedDirectories.Contains(name);

    /// <summary>A folder holding <c>pyvenv.cfg</c> is a Python virtual environment, whatever its name.</summary>
    public const string VirtualEnvMarker = "pyvenv.cfg";

    public static (FileKind Kind, bool IsTest) Classify(string relPath)
    {
        var name = RepoPaths.FileName(relPath);
        var kind = ByName(name, relPath);
        var isTest = kind is >= FileKind.Java and <= FileKind.CSharp && IsTestPath(relPath, name);
        return (kind, isTest);
    }

    private static FileKind ByName(string name, string relPath)
    {
        switch (name)
        {
            case "pom.xml": return FileKind.MavenPom;
            case "build.gradle" or "build.gradle.kts": return FileKind.GradleBuild;
            case "settings.gradle" or "settings.gradle.kts": return FileKind.GradleSettings;
            case "go.mod": return FileKind.GoMod;
            case "pyproject.toml": return FileKind.PyProject;
            case "setup.cfg": return FileKind.SetupCfg;
            case "setup.py": return FileKind.SetupPy;
            case "Pipfile": return FileKind.Pipfile;
            case "package.json": return FileKind.PackageJson;
            case "yarn.lock": return FileKind.YarnLock;
            case "pnpm-lock.yaml": return FileKind.PnpmLock;
            case "poetry.lock": return FileKind.PoetryLock;
            case "tsconfig.json": return FileKind.TsConfig;
            case "Chart.yaml": return FileKind.ChartYaml;
            case "Procfile": return FileKind.Procfile;
            case "CODEOWNERS": return FileKind.CodeOwners;
            case ".env": return FileKind.EnvFile;
        }

        if (name.StartsWith("Dockerfile", StringComparison.Ordinal) || name.EndsWith(".Dockerfile", StringComparison.Ordinal) || name.EndsWith(".dockerfile", StringComparison.Ordinal))
        {
            return FileKind.Dockerfile;
        }

        var dot = name.LastIndexOf('.');
        var ext = dot < 0 ? string.Empty : name[(dot + 1)..];
        var stem = dot < 0 ? name : name[..dot];
        switch (ext)
        {
            case "java": return FileKind.Java;
            case "kt": return FileKind.Kotlin;
            case "go": return name.EndsWith(".pb.go", StringComparison.Ordinal) ? FileKind.Other : FileKind.Go;
            case "py": return name.EndsWith("_pb2.py", StringComparison.Ordinal) || name.EndsWith("_pb2_grpc.py", StringComparison.Ordinal) ? FileKind.Other : FileKind.Python;
            case "js" or "mjs" or "cjs": return name.EndsWith(".min.js", StringComparison.Ordinal) ? FileKind.Other : FileKind.JavaScript;
            case "ts" or "mts" or "cts": return name.EndsWith(".d.ts", StringComparison.Ordinal) ? FileKind.Other : FileKind.TypeScript;
            case "cs": return name.EndsWith(".g.cs", StringComparison.Ordinal) || name.EndsWith(".Designer.cs", StringComparison.Ordinal) ? FileKind.Other : FileKind.CSharp;
            case "csproj": return FileKind.Csproj;
            case "txt" when IsRequirements(stem, relPath): return FileKind.PythonRequirements;
            case "env": return FileKind.EnvFile;
            case "sh": return FileKind.Script;
            case "md" when IsRunbook(stem, relPath): return FileKind.Runbook;
        }

        if (name.StartsWith(".env.", StringComparison.Ordinal))
        {
            return FileKind.EnvFile;
        }

        if (ext is "yml" or "yaml" or "properties" && (stem.StartsWith("application", StringComparison.Ordinal) || stem.StartsWith("bootstrap", StringComparison.Ordinal)))
        {
            return FileKind.SpringConfig;
        }

        if (ext == "json" && stem.StartsWith("appsettings", StringComparison.Ordinal))
        {
            return FileKind.AppSettings;
        }

        if (ext is "yml" or "yaml" or "json")
        {
            if (stem is "openlineage" || HasSegment(relPath, "lineage") && ext != "json")
            {
                return FileKind.OpenLineageSpec;
            }

            if (HasSegment(relPath, "contracts") || HasSegment(relPath, "data-contracts") || stem.EndsWith("datacontract", StringComparison.Ordinal) || stem.EndsWith(".contract", StringComparison.Ordinal))
            {
                return FileKind.Contract;
            }

            if (ext != "json" && (stem.StartsWith("docker-compose", StringComparison.Ordinal) || stem.StartsWith("compose", StringComparison.Ordinal)))
            {
                return FileKind.Compose;
            }

            if (ext != "json" && (stem.StartsWith("values", StringComparison.Ordinal) || InDeploymentFolder(relPath)))
            {
                return FileKind.DeploymentYaml;
            }
        }

        return FileKind.Other;
    }

    private static bool IsRequirements(string stem, string relPath) =>
        stem.StartsWith("requirements", StringComparison.Ordinal) || stem.EndsWith("requirements", StringComparison.Ordinal) || HasSegment(relPath, "requirements");

    private static bool IsRunbook(string stem, string relPath) =>
        stem.StartsWith("RUNBOOK", StringComparison.OrdinalIgnoreCase) || stem.EndsWith("runbook", StringComparison.OrdinalIgnoreCase) || HasSegment(relPath, "runbooks");

    private static bool InDeploymentFolder(string relPath)
    {
        var start = 0;
        for (var slash = relPath.IndexOf('/'); slash >= 0; slash = relPath.IndexOf('/', start))
        {
            if (DeploymentDirectories.Contains(relPath[start..slash]))
            {
                return true;
            }

            start = slash + 1;
        }

        return false;
    }

    /// <summary>Whether a folder of the path (not the file name) is <paramref name="segment"/>.</summary>
    private static bool HasSegment(string relPath, string segment)
    {
        var start = 0;
        for (var slash = relPath.IndexOf('/'); slash >= 0; slash = relPath.IndexOf('/', start))
        {
            if (slash - start == segment.Length && string.CompareOrdinal(relPath, start, segment, 0, segment.Length) == 0)
            {
                return true;
            }

            start = slash + 1;
        }

        return false;
    }

    private static bool IsTestPath(string relPath, string name)
    {
        if (name.EndsWith("_test.go", StringComparison.Ordinal) || name.StartsWith("test_", StringComparison.Ordinal) || name.EndsWith("_test.py", StringComparison.Ordinal)
            || name == "conftest.py" || name.Contains(".test.", StringComparison.Ordinal) || name.Contains(".spec.", StringComparison.Ordinal)
            || name.EndsWith("Test.java", StringComparison.Ordinal) || name.EndsWith("Tests.java", StringComparison.Ordinal)
            || name.EndsWith("Tests.cs", StringComparison.Ordinal) || name.EndsWith("Test.cs", StringComparison.Ordinal))
        {
            return true;
        }

        var start = 0;
        for (var slash = relPath.IndexOf('/'); slash >= 0; slash = relPath.IndexOf('/', start))
        {
            if (TestDirectories.Contains(relPath[start..slash]))
            {
                return true;
            }

            start = slash + 1;
        }

        return false;
    }
}
